// kubectl version and cluster-info in the lab shell. The client is kubectl 1.32; the server answers
// /version as the lab's HTTPS endpoint does (a vSphere with Tanzu 7.0 U3 Supervisor, Kubernetes 1.21), so
// kubectl's skew warning appears as against the real thing.
import { SUPERVISOR_KUBERNETES_VERSION } from '../../../sim/supervisor/version';
import { kubernetesVersion } from '../../../sim/tkgs/version';
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status } from '../../../api/types';
import type { CommandContext } from '../../session';
import type { WorkloadContext } from './generators';
import { kubectlYaml } from './get';
import { parse, withFlags } from './kflags';
import { statusError } from './out';

/** The client build the lab's kubectl reports (kubectl v1.32.4, Kustomize v5.5.0). */
export const CLIENT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '4cb5f0764b8d5f425645c6f433394fede34a8a26',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T20:09:34Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};
export const KUSTOMIZE_VERSION = 'v5.5.0';

/** What the Supervisor answers on /version, as the endpoint serves it. */
export const SERVER_VERSION = SUPERVISOR_KUBERNETES_VERSION;

const minorOf = (v: string) => /^v?(\d+)\.(\d+)/.exec(v);

export function version(
  api: ApiServer,
  k: WorkloadContext | undefined,
  ctx: CommandContext,
  argv: string[],
  now: Date,
): number | Promise<number> {
  return withFlags(ctx, 'version', now, () => {
    const f = parse(argv, [
      { long: 'client', kind: 'bool' },
      { long: 'output', short: 'o', kind: 'string' },
    ]);
    if (f.args.length) {
      ctx.err(`error: extra arguments: [${f.args.join(' ')}]\n`);
      return 1;
    }
    const output = f.str('output') ?? '';
    if (output && output !== 'yaml' && output !== 'json') {
      ctx.err("error: --output must be 'yaml' or 'json'\n");
      return 1;
    }
    // what the context's API space answers: the Supervisor's version, or a guest cluster's TKr
    const server = f.bool('client') || !k ? undefined : kubernetesVersion(api, k.space);
    const info = {
      clientVersion: CLIENT_VERSION,
      kustomizeVersion: KUSTOMIZE_VERSION,
      ...(server ? { serverVersion: server } : {}),
    };
    if (output === 'json') ctx.out(`${JSON.stringify(info, null, 2)}\n`);
    else if (output === 'yaml') ctx.out(`${kubectlYaml(info)}\n`);
    else {
      ctx.out(`Client Version: ${CLIENT_VERSION.gitVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
      if (server) ctx.out(`Server Version: ${server.gitVersion}\n`);
    }
    if (server) {
      const c = minorOf(CLIENT_VERSION.gitVersion)!;
      const s = minorOf(server.gitVersion)!;
      if (c[1] !== s[1] || Math.abs(Number(c[2]) - Number(s[2])) > 1)
        ctx.err(
          `WARNING: version difference between client (${c[1]}.${c[2]}) and server (${s[1]}.${s[2]}) exceeds the supported minor version skew of +/-1\n`,
        );
    }
    return 0;
  });
}

type Service = KubeObject & {
  spec?: { ports?: { name?: string; port: number }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
};

export function clusterInfo(
  api: ApiServer,
  k: WorkloadContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  if (argv[0] === 'dump') {
    ctx.err('error: kubectl cluster-info dump is not available in the lab shell\n');
    return 1;
  }
  return withFlags(ctx, 'cluster-info', k.now(), () => {
    parse(argv, []);
    const host = k.server ?? 'https://127.0.0.1:6443';
    const namespace = k.namespaceSet ? k.namespace : 'kube-system';
    const r = api.request({
      user: k.user,
      cluster: k.space,
      group: '',
      version: 'v1',
      resource: 'services',
      namespace,
      verb: 'list',
      query: { labelSelector: 'kubernetes.io/cluster-service=true' },
    });
    if (r.status >= 400) {
      ctx.out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
      ctx.err(statusError(r.body as Status));
      return 1;
    }
    ctx.out(`Kubernetes control plane is running at ${host}\n`);
    for (const s of (r.body as { items: Service[] }).items) {
      let link = '';
      const ingress = s.status?.loadBalancer?.ingress ?? [];
      if (ingress.length) {
        const ip = ingress[0]!.ip || ingress[0]!.hostname || '';
        for (const p of s.spec?.ports ?? []) link += `http://${ip}:${p.port} `;
      } else {
        let name = s.metadata.name!;
        const port = s.spec?.ports?.[0];
        if (port) {
          const scheme = port.name === 'https' || port.port === 443 ? 'https' : '';
          name = scheme ? `${scheme}:${name}:${port.name ?? ''}` : port.name ? `${name}:${port.name}` : name;
        }
        link = `${host}/api/v1/namespaces/${s.metadata.namespace}/services/${name}/proxy`;
      }
      ctx.out(`${s.metadata.labels?.['kubernetes.io/name'] || s.metadata.name} is running at ${link}\n`);
    }
    ctx.out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    return 0;
  });
}
