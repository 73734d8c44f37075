// `lab registry …` and `lab image …`: the Supervisor's embedded Harbor registry, as the vSphere
// administrator enables it (Workload Management › Image Registry) and a developer pushes to it.
//   lab registry enable [--storage-policy POLICY] | lab registry disable | lab registry status
//   lab image push IMAGE NAMESPACE[/REPOSITORY][:TAG] [--as USER] | lab image ls [NAMESPACE]
import { ApiError } from '../../api/errors';
import { age } from '../../api/printers/duration';
import type { KubeObject } from '../../api/types';
import type { Lab } from '../../sim/lab';
import type { SupervisorSpec } from '../../sim/supervisor/admission';
import {
  HARBOR_VERSION,
  projectSpec,
  pushImage,
  registryOf,
  registrySpec,
  registryStatus,
} from '../../sim/supervisor/harbor';
import { GROUP } from '../../sim/vcenter/kinds';

export const registryUsage = `  registry enable [--storage-policy P]   enable the Supervisor's embedded Harbor registry (NSX-T only)
  registry disable               disable it: its projects, images and pods are removed
  registry status                Harbor's health, address, storage and projects
  image push IMAGE NAMESPACE[/REPO][:TAG] [--as USER]   push an image into a namespace's Harbor project
  image ls [NAMESPACE]           the images in Harbor, of every project or of one
`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Pulls `--name VALUE` / `--name=VALUE` out of args; an error when the value is missing. */
function takeFlag(args: string[], name: string): { value?: string; rest: string[]; error?: string } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) {
      if (i + 1 >= args.length) return { rest, error: `flag needs an argument: --${name}` };
      value = args[++i];
    } else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
    else rest.push(a);
  }
  return { value, rest };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function labRegistry(lab: Lab, sub: 'registry' | 'image', args: string[], io: Io): number {
  const w = lab.world;
  const fail = (message: string) => {
    io.err(`lab ${sub}${args[0] ? ` ${args[0]}` : ''}: ${message}\n`);
    return 1;
  };
  const usage = () => {
    const lines = registryUsage.split('\n').filter((l) => l.startsWith(`  ${sub} `));
    io.err(`Usage: lab ${sub} COMMAND\n${lines.join('\n')}\n`);
    return 1;
  };
  const sup = w.vc.list('supervisors').items[0];
  const cluster = (sup?.spec as SupervisorSpec | undefined)?.cluster;
  const reg = registryOf(w);
  const notEnabled = () =>
    fail(
      cluster
        ? `the embedded Harbor registry is not enabled on ${cluster} (enable it with: lab registry enable)`
        : 'Workload Management is not enabled: the embedded Harbor registry runs on a Supervisor',
    );

  if (sub === 'registry') {
    const [action, ...rest] = args;
    if (action === 'status' && !rest.length) {
      if (!reg) {
        io.out(
          cluster
            ? `The embedded Harbor registry is not enabled on ${cluster} (enable it with: lab registry enable)\n`
            : 'Workload Management is not enabled: the embedded Harbor registry runs on a Supervisor\n',
        );
        return 0;
      }
      io.out(status(lab, reg));
      return 0;
    }
    if (action === 'enable') {
      const flag = takeFlag(rest, 'storage-policy');
      if (flag.error) return fail(flag.error);
      if (flag.rest.length) return usage();
      if (!sup || !cluster) return notEnabled();
      if (reg)
        return fail(
          reg.metadata.deletionTimestamp
            ? `the embedded Harbor registry on ${cluster} is being disabled; enable it again once it is gone`
            : `the embedded Harbor registry is already enabled on ${cluster} (${registryStatus(reg).health ?? 'STARTING'}, ${registryStatus(reg).uiAccessUrl ?? 'no address yet'})`,
        );
      const s = sup.spec as SupervisorSpec;
      const policy =
        flag.value ?? s.imageStoragePolicy ?? s.ephemeralStoragePolicy ?? s.controlPlaneStoragePolicy;
      try {
        w.vc.create({
          apiVersion: `${GROUP}/v1`,
          kind: 'Registry',
          metadata: { name: cluster },
          spec: { cluster, ...(policy ? { storagePolicy: policy } : {}) },
        });
      } catch (e) {
        if (e instanceof ApiError)
          return fail(`${e.message}${policy ? '' : ' (choose one with --storage-policy)'}`);
        throw e;
      }
      lab.settle();
      const st = registryStatus(w.vc.get('registries', '', cluster));
      io.out(
        `Enabling the embedded Harbor registry on ${cluster} (storage policy ${policy}).\n` +
          `Its ${st.podsTotal ?? 7} pods start as vSphere Pods in namespace ${st.namespace}; once RUNNING it answers at ${st.uiAccessUrl}.\n` +
          'Follow it with: lab registry status\n',
      );
      return 0;
    }
    if (action === 'disable' && !rest.length) {
      if (!reg) return notEnabled();
      if (reg.metadata.deletionTimestamp)
        return fail(`the embedded Harbor registry on ${cluster} is already being disabled`);
      const projects = w.vc.list('harborprojects').items.length;
      w.vc.delete('registries', '', reg.metadata.name!);
      lab.settle();
      io.out(
        `Disabling the embedded Harbor registry on ${reg.metadata.name}: ${plural(projects, 'project')} with ${projects === 1 ? 'its' : 'their'} images, Harbor's pods and namespace ${registryStatus(reg).namespace ?? ''} are removed.\n`,
      );
      return 0;
    }
    return usage();
  }

  const [action, ...rest] = args;
  if (action === 'push') {
    const flag = takeFlag(rest, 'as');
    if (flag.error) return fail(flag.error);
    if (flag.rest.length !== 2) return usage();
    const [image, dest] = flag.rest as [string, string];
    const r = pushImage(w, image, dest, flag.value);
    if (!r.ok) return fail(r.message);
    lab.settle();
    io.out(
      `The push refers to repository [${r.repository}]\n` +
        `${r.tag}: digest: ${r.digest} (${r.sizeMB} MB)\n` +
        `Pods in vSphere Namespace ${r.repository.split('/')[1]} can use it as ${r.reference}\n`,
    );
    return 0;
  }
  if (action === 'ls' && rest.length <= 1) {
    if (!reg) return notEnabled();
    const only = rest[0];
    const projects = w.vc
      .list('harborprojects')
      .items.filter((p) => !p.metadata.deletionTimestamp && (!only || p.metadata.name === only));
    if (only && !projects.length)
      return fail(`project ${only} not found: Harbor has a project per vSphere Namespace`);
    const ip = registryStatus(reg).ip ?? '';
    const rows = projects.flatMap((p) =>
      (projectSpec(p).repositories ?? []).flatMap((repo) =>
        repo.tags.map((t) => [
          `${ip}/${p.metadata.name}/${repo.name}`,
          t.tag,
          t.digest.slice(0, 19),
          `${t.sizeMB}MB`,
          age(t.pushedAt, lab.clock.now()),
        ]),
      ),
    );
    if (!rows.length) {
      io.out(
        only
          ? `No images in project ${only}. Push one with: lab image push IMAGE ${only}\n`
          : 'No images in Harbor. Push one with: lab image push IMAGE NAMESPACE\n',
      );
      return 0;
    }
    const header = ['REPOSITORY', 'TAG', 'DIGEST', 'SIZE', 'PUSHED'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [header, ...rows])
      io.out(`${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]! + 3) : c)).join('')}\n`);
    return 0;
  }
  return usage();
}

function status(lab: Lab, reg: KubeObject): string {
  const st = registryStatus(reg);
  const w = lab.world;
  const projects = w.vc
    .list('harborprojects')
    .items.filter((p) => projectSpec(p).registry === reg.metadata.name && !p.metadata.deletionTimestamp)
    .map(
      (p) =>
        `${p.metadata.name} (${plural((projectSpec(p).repositories ?? []).length, 'repository', 'repositories')})`,
    );
  const lines = [
    `Harbor ${st.version ?? HARBOR_VERSION} on ${registrySpec(reg).cluster}: ${st.health ?? 'STARTING'}`,
    `  UI and registry:  ${st.uiAccessUrl ?? 'no address yet'}`,
    `  Namespace:        ${st.namespace ?? 'not made yet'} (${st.podsReady ?? 0}/${st.podsTotal ?? 0} pods running)`,
    `  Storage:          policy ${registrySpec(reg).storagePolicy}, ${st.storageUsedMB ?? 0} MB used`,
    `  Projects:         ${projects.length ? projects.join(', ') : st.health === 'RUNNING' ? 'none (one per vSphere Namespace)' : 'made once Harbor runs'}`,
    ...(st.messages ?? []).map(
      (m) => `  ${(m.severity === 'INFO' ? 'Progress:' : 'Health:').padEnd(18)}${m.details}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
