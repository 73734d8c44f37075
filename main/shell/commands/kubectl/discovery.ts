// kubectl api-resources and api-versions in the lab shell, from the registry and the flavor of the
// current API space — what the real kubectl prints from discovery: every group-version served, and each
// resource once, in its preferred version.
import type { ApiServer } from '../../../api/server';
import { servedIn } from '../../../api/registry';
import { tabwrite } from '../../printers/table';
import type { CommandContext } from '../../session';
import { parseFlags } from './flags';
import type { KubectlContext } from './index';

export function apiResources(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const { values } = parseFlags(argv, [
    { long: 'output', short: 'o', kind: 'string' },
    { long: 'namespaced', kind: 'string' },
    { long: 'api-group', kind: 'string' },
    { long: 'no-headers', kind: 'bool' },
  ]);
  const output = (values.get('output') as string | undefined) ?? '';
  if (!['', 'wide', 'name'].includes(output)) {
    ctx.err(`error: --output ${output} is not available\n`);
    return 1;
  }
  const flavor = api.flavorOf(k.space) ?? 'supervisor';
  const namespaced = values.get('namespaced') as string | undefined;
  const group = values.get('api-group') as string | undefined;
  const kinds = api.registry
    .all()
    .filter((kind) => servedIn(kind, flavor))
    .filter((kind) => namespaced === undefined || String(kind.namespaced) === namespaced)
    .filter((kind) => group === undefined || kind.group === group)
    .sort((a, b) =>
      a.group === b.group
        ? a.plural.localeCompare(b.plural)
        : a.group === ''
          ? -1
          : b.group === ''
            ? 1
            : a.group.localeCompare(b.group),
    );
  if (output === 'name') {
    for (const kind of kinds) ctx.out(`${kind.plural}${kind.group ? `.${kind.group}` : ''}\n`);
    return 0;
  }
  const wide = output === 'wide';
  const rows = kinds.map((kind) => [
    kind.plural,
    (kind.shortNames ?? []).join(','),
    api.registry.preferred(kind).apiVersion,
    String(kind.namespaced),
    kind.kind,
    ...(wide ? [[...(kind.verbs ?? [])].sort().join(','), (kind.categories ?? []).join(',')] : []),
  ]);
  const header = [
    'NAME',
    'SHORTNAMES',
    'APIVERSION',
    'NAMESPACED',
    'KIND',
    ...(wide ? ['VERBS', 'CATEGORIES'] : []),
  ];
  ctx.out(tabwrite(values.get('no-headers') === true ? rows : [header, ...rows]));
  return 0;
}

export function apiVersions(api: ApiServer, k: KubectlContext, ctx: CommandContext): number {
  const flavor = api.flavorOf(k.space) ?? 'supervisor';
  const versions = new Set(
    api.registry
      .allVersions()
      .filter((kind) => servedIn(kind, flavor))
      .map((kind) => kind.apiVersion),
  );
  ctx.out(
    [...versions]
      .sort()
      .map((v) => `${v}\n`)
      .join(''),
  );
  return 0;
}
