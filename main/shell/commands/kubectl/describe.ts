// kubectl describe in the lab shell: `describe TYPE [NAME_PREFIX]`, `TYPE/NAME`, `-l`, `-A`, `-f`,
// `--show-events`. What to describe is found as kubectl's resource builder finds it (with its errors
// and its quirks: a single NotFound `TYPE NAME` falls back to describing every object whose name starts
// with NAME), then each object is described by kubectl's describer for its kind (describe/).
import type { ApiServer } from '../../../api/server';
import type { ResolvedKind } from '../../../api/registry';
import type { KubeObject, Status } from '../../../api/types';
import { matchesLabels, parseLabelSelector } from '../../../api/selectors';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { parse, withFlags, type Flag } from './kflags';
import { ManifestError, readManifests } from './manifests';
import { resourceArgs } from './resources';
import { DescribeClient } from './describe/client';
import { DESCRIBERS, genericDescriber, type Describer } from './describe/describers';

const FLAGS: Flag[] = [
  { long: 'filename', short: 'f', kind: 'array' },
  { long: 'recursive', short: 'R', kind: 'bool' },
  { long: 'kustomize', short: 'k', kind: 'string' },
  { long: 'selector', short: 'l', kind: 'string' },
  { long: 'all-namespaces', short: 'A', kind: 'bool' },
  { long: 'show-events', kind: 'bool' },
  { long: 'chunk-size', kind: 'int' },
];

/** One object to describe. */
interface Info {
  kind: ResolvedKind;
  namespace: string;
  name: string;
}

/** An error as kubectl's CheckErr prints it; a string is a client-side one from an aggregate, printed bare. */
function errorText(e: Status | string): string {
  if (typeof e === 'string') return `${e}\n`;
  if (e.reason === 'Unauthorized') return `error: You must be logged in to the server (${e.message ?? ''})\n`;
  return e.reason
    ? `Error from server (${e.reason}): ${e.message ?? ''}\n`
    : `Error from server: ${e.message ?? ''}\n`;
}

/** A failure before anything was fetched: `error: ` and the message. */
const buildErrorText = (message: string): string =>
  message.startsWith('error: ') ? `${message}\n` : `error: ${message}\n`;

/** The describer kubectl picks for a kind: its own, else the generic one. */
function describerFor(kind: ResolvedKind): Describer {
  return (
    DESCRIBERS[`${kind.group}/${kind.kind}`] ??
    genericDescriber(
      { group: kind.group, version: kind.version, resource: kind.plural },
      kind.apiVersion,
      kind.kind,
    )
  );
}

/** A builder-phase failure: printed alone, nothing described. */
class BuildError extends Error {}

export function describe(
  api: ApiServer,
  k: KubectlContext & { namespaceSet?: boolean },
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  return withFlags(ctx, 'describe', k.now(), () => run(api, k, ctx, argv));
}

function run(
  api: ApiServer,
  k: KubectlContext & { namespaceSet?: boolean },
  ctx: CommandContext,
  argv: string[],
): number {
  const fs = parse(argv, FLAGS);
  const args = fs.args;
  const files = fs.list('filename');
  const namespace = fs.str('namespace') ?? k.namespace;
  const all = fs.bool('all-namespaces');
  const selector = (fs.str('selector') ?? '').trim() || undefined;
  const client = new DescribeClient(api, k, fs.changed('show-events') ? fs.bool('show-events') : true);

  if (!args.length && !files.length) {
    ctx.err(
      'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n',
    );
    return 1;
  }

  const found = (() => {
    try {
      return files.length
        ? fromFiles(
            api,
            k,
            ctx,
            files,
            args,
            namespace,
            fs.changed('namespace') || k.namespaceSet === true,
            selector,
          )
        : fromArgs(api, k, client, args, namespace, all, selector);
    } catch (e) {
      if (e instanceof BuildError || e instanceof ManifestError) return e;
      throw e;
    }
  })();
  if (found instanceof Error) {
    ctx.err(buildErrorText(found.message));
    return 1;
  }
  const { infos, errors } = found;

  // a lone `TYPE NAME` not found: describe what starts with NAME instead
  if (
    args.length === 2 &&
    errors.length === 1 &&
    typeof errors[0] !== 'string' &&
    errors[0]!.reason === 'NotFound'
  )
    return describeMatching(api, k, client, ctx, args[0]!, args[1]!, namespace, errors[0]!);

  const failures: string[] = [];
  let first = true;
  for (const info of infos) {
    const d = describerFor(info.kind)(client, info.namespace, info.name);
    if ('error' in d) {
      const text = errorText(d.error);
      if (!failures.includes(text)) failures.push(text);
      continue;
    }
    ctx.out(first ? d.text : `\n\n${d.text}`);
    first = false;
  }
  if (!infos.length && !errors.length)
    ctx.err(all ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
  for (const e of errors) ctx.err(errorText(e));
  for (const f of failures) ctx.err(f);
  return errors.length || failures.length ? 1 : 0;
}

/** The types of an argument, resolved as kubectl's REST mapper does; `all` is the category. */
function resolveTypes(api: ApiServer, k: KubectlContext, type: string): ResolvedKind[] {
  const flavor = api.flavorOf(k.space);
  if (type === 'all')
    return api.registry
      .all()
      .filter((x) => x.categories?.includes('all') && api.registry.resolve(x.plural, flavor) === x);
  const kind = api.registry.resolve(type, flavor);
  if (!kind) throw new BuildError(`the server doesn't have a resource type "${type}"`);
  return [kind];
}

/** kubectl's SplitResourceArgument: comma-separated types, repeats dropped. */
const splitTypes = (arg: string): string[] => [...new Set(arg.split(','))];

interface Found {
  infos: Info[];
  /** API errors (printed "Error from server…") and client ones */
  errors: (Status | string)[];
}

/** What the arguments name, fetched as kubectl's resource builder fetches it. */
function fromArgs(
  api: ApiServer,
  k: KubectlContext,
  client: DescribeClient,
  args: string[],
  namespace: string,
  all: boolean,
  selector: string | undefined,
): Found {
  const withSlash = args.some((a) => a.includes('/'));
  const parsed = resourceArgs(args);
  if (typeof parsed === 'string') throw new BuildError(parsed.replace(/\n$/, ''));
  // by name one at a time (`TYPE/NAME…`, or `T1,T2 NAME…` which kubectl turns into those), by names of
  // one type (`TYPE NAME…`), or a list of each type
  const tuples = withSlash || (args.length >= 2 && splitTypes(args[0]!).length > 1);
  const named = !tuples && args.length >= 2;
  const listing = selector !== undefined || (!tuples && !named);
  const listNamespace = all ? '' : namespace;

  if (listing) {
    if (named) throw new BuildError('name cannot be provided when a selector is specified');
    if (tuples)
      throw new BuildError('selectors and the all flag cannot be used when passing resource/name arguments');
    const kinds: ResolvedKind[] = [];
    for (const t of splitTypes(args[0]!))
      for (const kind of resolveTypes(api, k, t)) if (!kinds.includes(kind)) kinds.push(kind);
    const found: Found = { infos: [], errors: [] };
    for (const kind of kinds) {
      const r = { group: kind.group, version: kind.version, resource: kind.plural };
      const got = client.list(r, kind.namespaced ? listNamespace : '', { labelSelector: selector });
      if ('error' in got) {
        found.errors.push(listError(got.error, kind, selector));
        continue;
      }
      for (const o of got.value) found.infos.push(infoOf(kind, o));
    }
    return found;
  }

  // by name: every type is resolved before anything is fetched
  const wanted = parsed.map(({ type, name }) => {
    const kinds = resolveTypes(api, k, type);
    if (kinds.length !== 1) throw new BuildError('you must specify only one resource');
    return { kind: kinds[0]!, name: name! };
  });
  for (const { kind } of wanted)
    if (kind.namespaced && !namespace)
      throw new BuildError('namespace may not be empty when retrieving a resource by name');
  if (all && wanted.some((w) => w.kind.namespaced))
    throw new BuildError('a resource cannot be retrieved by name across all namespaces');
  const found: Found = { infos: [], errors: [] };
  for (const { kind, name } of wanted) {
    const ns = kind.namespaced ? namespace : '';
    const got = client.get({ group: kind.group, version: kind.version, resource: kind.plural }, ns, name);
    if ('error' in got) found.errors.push(missingNamespace(client, got.error, ns) ?? got.error);
    else found.infos.push(infoOf(kind, got.value));
  }
  return found;
}

/**
 * An object not found in a namespace other than default: kubectl then asks for the namespace, and
 * reports the namespace instead when that is what is missing.
 */
function missingNamespace(client: DescribeClient, st: Status, namespace: string): Status | undefined {
  if (st.reason !== 'NotFound' || !namespace || namespace === 'default') return undefined;
  const ns = client.get({ group: '', version: 'v1', resource: 'namespaces' }, '', namespace);
  return 'error' in ns && ns.error.reason === 'NotFound' ? ns.error : undefined;
}

const infoOf = (kind: ResolvedKind, o: KubeObject): Info => ({
  kind,
  namespace: kind.namespaced ? (o.metadata.namespace ?? '') : '',
  name: o.metadata.name ?? '',
});

/** A refused list, worded as kubectl's EnhanceListError words it. */
function listError(st: Status, kind: ResolvedKind, selector: string | undefined): Status {
  if (st.code !== 400 && st.code !== 404) return st;
  const subject = `${kind.group}/${kind.version}, Resource=${kind.plural}`;
  const message = selector
    ? `Unable to find "${subject}" that match label selector "${selector}", field selector "": ${st.message ?? ''}`
    : `Unable to list "${subject}": ${st.message ?? ''}`;
  return { ...st, message };
}

/** The objects of -f files, each then described from the server. */
function fromFiles(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  files: string[],
  args: string[],
  namespace: string,
  enforce: boolean,
  selector: string | undefined,
): Found {
  if (args.length) {
    if (args.some((a) => a.includes('/')))
      throw new BuildError('resource/name arguments cannot be provided when a path is specified');
    throw new BuildError(
      'when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well',
    );
  }
  let manifests: ReturnType<typeof readManifests>;
  try {
    manifests = readManifests(ctx, files);
  } catch (e) {
    // input with no objects in it is nothing to describe (the shared reader refuses it, for apply)
    if (e instanceof ManifestError && e.message === 'error: no objects passed to apply') manifests = [];
    else if (e instanceof ManifestError && e.message.startsWith('error: error parsing '))
      // a document that does not parse fails its file's visit: kubectl prints that bare
      return { infos: [], errors: [e.message.slice('error: '.length)] };
    else throw e;
  }
  const flavor = api.flavorOf(k.space);
  const wanted = selector ? parseSelector(selector) : undefined;
  const found: Found = { infos: [], errors: [] };
  for (const { source, object } of manifests) {
    const name = object.metadata?.name ?? '';
    const kind = api.registry.byApiVersionKind(String(object.apiVersion ?? ''), String(object.kind ?? ''));
    if (!kind || (flavor && kind.flavors && !kind.flavors.includes(flavor))) {
      const [group, version] = String(object.apiVersion ?? '').includes('/')
        ? String(object.apiVersion).split('/')
        : ['', String(object.apiVersion ?? '')];
      found.errors.push(
        `resource mapping not found for name: "${name}" namespace: "${object.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${String(object.kind ?? '')}" in version "${group ? `${group}/` : ''}${version}"\nensure CRDs are installed first`,
      );
      continue;
    }
    if (wanted && !matchesLabels(wanted, object.metadata?.labels)) continue;
    let ns = kind.namespaced ? (object.metadata?.namespace ?? namespace) : '';
    if (kind.namespaced && enforce && ns !== namespace) {
      found.errors.push(
        `the namespace from the provided object "${ns}" does not match the namespace "${namespace}". You must pass '--namespace=${ns}' to perform this operation.`,
      );
      continue;
    }
    if (kind.namespaced && !ns) ns = namespace;
    found.infos.push({ kind, namespace: ns, name });
  }
  return found;
}

function parseSelector(selector: string) {
  try {
    return parseLabelSelector(selector);
  } catch (e) {
    throw new BuildError((e as { status?: Status }).status?.message ?? String(e));
  }
}

/**
 * kubectl's fallback for `describe TYPE NAME` when NAME is not found: every object of TYPE in the
 * namespace whose name starts with NAME, each followed by a blank line; the first error if none does.
 */
function describeMatching(
  api: ApiServer,
  k: KubectlContext,
  client: DescribeClient,
  ctx: CommandContext,
  resource: string,
  prefix: string,
  namespace: string,
  original: Status,
): number {
  let infos: Info[];
  try {
    const types = splitTypes(resource);
    if (types.length > 1 && !resource.includes('/'))
      throw new BuildError('you may only specify a single resource type');
    const found = fromArgs(api, k, client, [resource], namespace, false, undefined);
    if (found.errors.length) {
      ctx.err(errorText(found.errors[0]!));
      return 1;
    }
    infos = found.infos;
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    ctx.err(buildErrorText(e.message));
    return 1;
  }
  let matched = false;
  for (const info of infos) {
    if (!info.name.startsWith(prefix)) continue;
    matched = true;
    const d = describerFor(info.kind)(client, info.namespace, info.name);
    if ('error' in d) {
      ctx.err(errorText(d.error));
      return 1;
    }
    ctx.out(`${d.text}\n`);
  }
  if (!matched) {
    ctx.err(errorText(original));
    return 1;
  }
  return 0;
}
