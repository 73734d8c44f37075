// kubectl delete in the lab shell: -f manifests, TYPE NAME…, TYPE/NAME, -l selector or --all.
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status } from '../../../api/types';
import type { CommandContext } from '../../session';
import { dryRunOf, sortKeys, typeName } from './common';
import { parseFlags } from './flags';
import { NO_RESOURCES, resourceArgs } from './resources';
import type { KubectlContext } from './index';
import { ManifestError, readManifests } from './manifests';

export function del(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const { values, args } = parseFlags(argv, [
    { long: 'filename', short: 'f', kind: 'string' },
    { long: 'namespace', short: 'n', kind: 'string' },
    { long: 'selector', short: 'l', kind: 'string' },
    { long: 'all', kind: 'bool' },
    { long: 'dry-run', kind: 'string' },
    { long: 'now', kind: 'bool' },
    { long: 'wait', kind: 'bool' },
    { long: 'grace-period', kind: 'string' },
    { long: 'ignore-not-found', kind: 'bool' },
  ]);
  const flavor = api.flavorOf(k.space);
  const ns = (values.get('namespace') as string | undefined) ?? k.namespace;
  const dryRun = dryRunOf(values.get('dry-run'));
  if (typeof dryRun === 'string') {
    ctx.err(dryRun);
    return 1;
  }
  const dry = dryRun.mode === 'server';
  const client = dryRun.mode === 'client';
  const { suffix } = dryRun;
  const body = dry ? { dryRun: ['All'] } : {};
  let status = 0;
  const deleteOne = (kindName: string, o: { name: string; namespace?: string }, source?: string): void => {
    const kind = api.registry.resolve(kindName, flavor)!;
    if (client) {
      ctx.out(`${typeName(kind)} "${o.name}" deleted${suffix}\n`);
      return;
    }
    const r = api.request({
      verb: 'delete',
      user: k.user,
      cluster: k.space,
      group: kind.group,
      version: kind.version,
      resource: kind.plural,
      namespace: kind.namespaced ? (o.namespace ?? ns) : undefined,
      name: o.name,
      body,
    });
    if (r.status >= 400) {
      const s = r.body as Status;
      if (s.code === 404 && values.get('ignore-not-found') === true) return;
      ctx.err(
        `Error from server (${s.reason}): ${source ? `error when deleting "${source}": ` : ''}${s.message}\n`,
      );
      status = 1;
    } else ctx.out(`${typeName(kind)} "${o.name}" deleted${suffix}\n`);
  };

  const file = values.get('filename') as string | undefined;
  if (file) {
    try {
      for (const m of readManifests(ctx, [file])) {
        // without validation, kubectl's decoder is what refuses an object with no kind
        if (!m.object.kind) {
          ctx.err(
            `error: unable to decode "${m.source}": Object 'Kind' is missing in '${JSON.stringify(sortKeys(m.object))}'\n`,
          );
          status = 1;
          continue;
        }
        if (!m.object.apiVersion) {
          // kubectl then sends the delete to a path with no version, which no API server serves
          ctx.err(
            `Error from server (NotFound): error when deleting "${m.source}": the server could not find the requested resource\n`,
          );
          status = 1;
          continue;
        }
        const kind = api.registry.byApiVersionKind(
          String(m.object.apiVersion ?? ''),
          String(m.object.kind ?? ''),
        );
        if (!kind) {
          ctx.err(
            `error: resource mapping not found for name: "${m.object.metadata?.name ?? ''}" namespace: "" from "${m.source}": no matches for kind "${String(m.object.kind)}" in version "${String(m.object.apiVersion)}"\n`,
          );
          status = 1;
          continue;
        }
        deleteOne(
          kind.plural,
          { name: m.object.metadata.name ?? '', namespace: m.object.metadata.namespace },
          m.source,
        );
      }
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      ctx.err(`${e.message}\n`);
      return 1;
    }
    return status;
  }

  // TYPE NAME…, TYPE/NAME…, TYPE -l sel, TYPE --all
  const malformed = args.length ? resourceArgs(args) : [];
  if (typeof malformed === 'string') {
    ctx.err(malformed);
    return 1;
  }
  const pairs: { type: string; name: string }[] = [];
  let type: string | undefined;
  for (const a of args) {
    if (a.includes('/')) {
      const [t, n] = a.split('/', 2);
      pairs.push({ type: t!, name: n! });
    } else if (!type) type = a;
    else pairs.push({ type, name: a });
  }
  if (!type && pairs.length === 0) {
    ctx.err(NO_RESOURCES);
    return 1;
  }
  for (const t of new Set([...(type ? [type] : []), ...pairs.map((p) => p.type)])) {
    if (!api.registry.resolve(t, flavor)) {
      ctx.err(`error: the server doesn't have a resource type "${t}"\n`);
      return 1;
    }
  }
  const selector = values.get('selector') as string | undefined;
  if (type && pairs.length === 0) {
    if (!selector && values.get('all') !== true) {
      ctx.err('error: resource(s) were provided, but no name was specified\n');
      return 1;
    }
    const kind = api.registry.resolve(type, flavor)!;
    const r = api.request({
      verb: 'list',
      user: k.user,
      cluster: k.space,
      group: kind.group,
      version: kind.version,
      resource: kind.plural,
      namespace: kind.namespaced ? ns : undefined,
      query: { labelSelector: selector },
    });
    if (r.status >= 400) {
      ctx.err(`Error from server (${(r.body as Status).reason}): ${(r.body as Status).message}\n`);
      return 1;
    }
    const items = (r.body as { items: KubeObject[] }).items;
    if (items.length === 0) {
      ctx.out('No resources found\n'); // on stdout for delete, unlike get
      return 0;
    }
    for (const o of items) deleteOne(type, { name: o.metadata.name!, namespace: o.metadata.namespace });
    return status;
  }
  for (const p of pairs) deleteOne(p.type, { name: p.name });
  return status;
}
