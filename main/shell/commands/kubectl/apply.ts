// kubectl apply -f and create -f in the lab shell. apply is client-side apply as kubectl does it: the
// manifest is kept in the last-applied-configuration annotation, and a three-way patch (what was applied
// before, what is applied now, what is live) changes only what the manifest changed.
import type { ApiServer } from '../../../api/server';
import { isObject } from '../../../api/patch';
import type { ResolvedKind } from '../../../api/registry';
import type { KubeObject, Status } from '../../../api/types';
import type { CommandContext } from '../../session';
import { dryRunOf, sortKeys, typeName } from './common';
import { statusError } from './out';
import { parseFlags } from './flags';
import type { KubectlContext } from './index';
import { ManifestError, readManifests, type Manifest } from './manifests';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** API groups whose kinds kubectl knows as Go types (the rest are custom resources to it). */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'authorization.k8s.io',
  'networking.k8s.io',
  'autoscaling',
]);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The strategic merge patch from live to modified, deleting what original had and modified dropped.
 * Lists that differ are replaced whole ($patch: replace), so an item removed from the manifest goes.
 */
export function threeWayPatch(
  original: unknown,
  modified: Record<string, unknown>,
  current: unknown,
  strategic = true,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const cur = isObject(current) ? current : {};
  const orig = isObject(original) ? original : {};
  for (const [k, v] of Object.entries(modified)) {
    if (isObject(v) && isObject(cur[k])) {
      const sub = threeWayPatch(orig[k], v, cur[k], strategic);
      if (Object.keys(sub).length) patch[k] = sub;
    } else if (Array.isArray(v) && Array.isArray(cur[k])) {
      const curList = cur[k] as unknown[];
      const covered =
        v.length === curList.length &&
        v.every((item, i) =>
          isObject(item) && isObject(curList[i])
            ? Object.keys(threeWayPatch(undefined, item, curList[i])).length === 0
            : same(item, curList[i]),
        );
      // a JSON merge patch (custom resources) replaces a list whole as it is
      if (!covered) patch[k] = strategic ? [...v, { $patch: 'replace' }] : v;
    } else if (!same(v, cur[k])) patch[k] = v;
  }
  for (const k of Object.keys(orig)) {
    if (!(k in modified) && k in cur) patch[k] = null;
  }
  return patch;
}

function resolveKind(api: ApiServer, k: KubectlContext, m: Manifest): ResolvedKind | string {
  const o = m.object;
  // kubectl's client-side validation refuses an object without apiVersion or kind before any lookup
  const unset = [!o.apiVersion && 'apiVersion not set', !o.kind && 'kind not set'].filter(Boolean);
  if (unset.length)
    return `error: error validating "${m.source}": error validating data: ${unset.length > 1 ? `[${unset.join(', ')}]` : unset[0]}; if you choose to ignore these errors, turn validation off with --validate=false\n`;
  const kind = api.registry.byApiVersionKind(String(o.apiVersion ?? ''), String(o.kind ?? ''));
  const flavor = api.flavorOf(k.space);
  if (!kind || (kind.flavors && flavor && !kind.flavors.includes(flavor))) {
    const [group, version] = String(o.apiVersion ?? '').includes('/')
      ? String(o.apiVersion).split('/')
      : ['', String(o.apiVersion ?? '')];
    return `error: resource mapping not found for name: "${o.metadata?.name ?? ''}" namespace: "${o.metadata?.namespace ?? ''}" from "${m.source}": no matches for kind "${String(o.kind)}" in version "${group ? `${group}/` : ''}${version}"\nensure CRDs are installed first\n`;
  }
  return kind;
}

function target(kind: ResolvedKind, k: KubectlContext, o: KubeObject, override?: string) {
  const namespace = kind.namespaced ? (o.metadata?.namespace ?? override ?? k.namespace) : undefined;
  return {
    user: k.user,
    cluster: k.space,
    group: kind.group,
    version: kind.version,
    resource: kind.plural,
    namespace,
  };
}

export function applyOrCreate(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
  mode: 'apply' | 'create',
): number {
  const { values } = parseFlags(argv, [
    { long: 'filename', short: 'f', kind: 'string' },
    { long: 'namespace', short: 'n', kind: 'string' },
    { long: 'dry-run', kind: 'string' },
  ]);
  const files = argv
    .flatMap((a, i) =>
      a === '-f' || a === '--filename'
        ? [argv[i + 1]!]
        : a.startsWith('--filename=')
          ? [a.slice(11)]
          : /^-f./.test(a)
            ? [a.slice(2)]
            : [],
    )
    .filter(Boolean);
  if (!files.length) {
    ctx.err(`error: must specify one of -f and -k\n\n`);
    return 1;
  }
  let manifests: Manifest[];
  try {
    manifests = readManifests(ctx, files);
  } catch (e) {
    if (e instanceof ManifestError) {
      ctx.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const ns = values.get('namespace') as string | undefined;
  const dry = dryRunOf(values.get('dry-run'));
  if (typeof dry === 'string') {
    ctx.err(dry);
    return 1;
  }
  const client = dry.mode === 'client';
  const dryRun = dry.mode === 'server' ? { dryRun: 'All' } : {};
  const { suffix } = dry;
  let status = 0;
  for (const m of manifests) {
    const kind = resolveKind(api, k, m);
    if (typeof kind === 'string') {
      ctx.err(kind);
      status = 1;
      continue;
    }
    const base = target(kind, k, m.object, ns);
    const name = m.object.metadata?.name ?? '';
    const query = {
      fieldValidation: 'Strict',
      fieldManager: mode === 'apply' ? 'kubectl-client-side-apply' : 'kubectl-create',
      ...dryRun,
    };
    // kubectl puts the source into the server's message; Invalid still prints its causes
    const fail = (s: Status, verb: string) => {
      ctx.err(statusError({ ...s, message: `error when ${verb} "${m.source}": ${s.message}` }));
      status = 1;
    };
    if (client && mode === 'create') {
      // a client dry run writes nothing: it says what would have been done
      ctx.out(`${typeName(kind)}/${name} created${suffix}\n`);
      continue;
    }
    if (mode === 'create') {
      const r = api.request({ ...base, verb: 'create', body: m.object, query });
      if (r.status >= 400) fail(r.body as Status, 'creating');
      else ctx.out(`${typeName(kind)}/${(r.body as KubeObject).metadata.name} created${suffix}\n`);
      continue;
    }
    // apply: the manifest, with itself recorded as the last applied configuration
    // as kubectl does, the namespace is filled in before anything is recorded or compared
    const applied = sortKeys(JSON.parse(JSON.stringify(m.object))) as KubeObject;
    if (base.namespace) applied.metadata = { ...applied.metadata, namespace: base.namespace };
    const annotations = { ...(applied.metadata?.annotations ?? {}) };
    delete annotations[LAST_APPLIED];
    // kubectl records the manifest (namespace filled in) with its annotations, minus this one
    const record = JSON.parse(JSON.stringify(applied)) as KubeObject;
    record.metadata = { ...record.metadata, annotations };
    const modified = {
      ...applied,
      metadata: {
        ...applied.metadata,
        annotations: { ...annotations, [LAST_APPLIED]: `${JSON.stringify(sortKeys(record))}\n` },
      },
    } as KubeObject;
    const live = name ? api.request({ ...base, verb: 'get', name }) : { status: 404, body: undefined };
    if (live.status === 404) {
      if (client) {
        ctx.out(`${typeName(kind)}/${name} created${suffix}\n`);
        continue;
      }
      const r = api.request({ ...base, verb: 'create', body: modified, query });
      if (r.status >= 400) fail(r.body as Status, 'creating');
      else ctx.out(`${typeName(kind)}/${name} created${suffix}\n`);
      continue;
    }
    if (live.status >= 400) {
      fail(live.body as Status, 'retrieving current configuration of');
      continue;
    }
    const current = live.body as KubeObject;
    const lastText = current.metadata.annotations?.[LAST_APPLIED];
    const original = lastText ? (JSON.parse(lastText) as unknown) : undefined;
    if (client) {
      // as kubectl does, a client dry run of an existing object says configured without diffing
      ctx.out(`${typeName(kind)}/${name} configured${suffix}\n`);
      continue;
    }
    // kubectl sends built-in kinds a strategic merge patch, custom resources (no Go type) a JSON merge patch
    const strategic = BUILT_IN_GROUPS.has(kind.group);
    const patch = threeWayPatch(original, modified as unknown as Record<string, unknown>, current, strategic);
    if (Object.keys(patch).length === 0) {
      ctx.out(`${typeName(kind)}/${name} unchanged${suffix}\n`);
      continue;
    }
    const r = api.request({
      ...base,
      verb: 'patch',
      name,
      body: patch,
      patchType: strategic ? 'strategic' : 'merge',
      query,
    });
    if (r.status >= 400) {
      // kubectl names the patch it sent and what it sent it to
      const st = r.body as Status;
      const gv = `${kind.group}/${kind.version}`;
      const sent =
        `applying patch:\n${JSON.stringify(sortKeys(patch))}\nto:\n` +
        `Resource: "${gv}, Resource=${kind.plural}", GroupVersionKind: "${gv}, Kind=${kind.kind}"\n` +
        `Name: ${JSON.stringify(name)}, Namespace: ${JSON.stringify(base.namespace ?? '')}\nfor:`;
      fail({ ...st, message: `error when patching "${m.source}": ${st.message}` }, sent);
    } else ctx.out(`${typeName(kind)}/${name} configured${suffix}\n`);
  }
  return status;
}
