// kubectl explain in the lab shell, from the registry's schemas, laid out as kubectl's plaintext template
// does: KIND and VERSION (and GROUP), the field and its type, enum values, descriptions wrapped at 80
// columns, and the fields of an object, sorted, with -required- marks. A kind is explained in its
// preferred version unless --api-version names another.
import { servedIn, type ResolvedKind } from '../../../api/registry';
import type { ApiServer } from '../../../api/server';
import type { Schema } from '../../../api/schema';
import type { CommandContext } from '../../session';
import { parseFlags } from './flags';
import type { KubectlContext } from './index';

/** The type as kubectl names it: string, integer, Object, []Object, map[string]string … */
export function typeName(s: Schema | undefined): string {
  if (!s) return 'Object';
  if (s['x-kubernetes-int-or-string']) return 'IntOrString';
  if (s.type === 'array') return `[]${typeName(s.items)}`;
  if (s.type === 'object' || s.properties || s.additionalProperties) {
    if (typeof s.additionalProperties === 'object' && !s.properties)
      return `map[string]${typeName(s.additionalProperties)}`;
    return 'Object';
  }
  return s.type ?? 'Object';
}

/** Greedy word wrap at 80 columns including the indent, as kubectl's explain output wraps. */
function wrap(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && pad.length + line.length + 1 + word.length > 80) {
        out.push(pad + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(pad + line);
  }
  return out.join('\n');
}

/** A field's description; a list of objects adds its items' description, as kubectl shows it. */
function description(s: Schema): string {
  const own = s.description ?? '';
  const items = s.type === 'array' && s.items?.description ? s.items.description : '';
  return [own, items].filter(Boolean).join('\n');
}

/** The DESCRIPTION block: `<empty>` when there is none, as kubectl prints it. */
const describe = (d: string): string =>
  d ? `DESCRIPTION:\n${wrap(d, 4)}\n    \n` : 'DESCRIPTION:\n    <empty>\n';

function fieldsOf(s: Schema): string {
  const target = s.type === 'array' ? s.items : s;
  const props = target?.properties ?? {};
  const required = new Set(target?.required ?? []);
  return Object.keys(props)
    .sort()
    .map((name) => {
      const p = props[name]!;
      const enumLine = p.enum ? `  enum: ${p.enum.join(', ')}\n` : '';
      const d = description(p);
      return `  ${name}\t<${typeName(p)}>${required.has(name) ? ' -required-' : ''}\n${enumLine}${d ? wrap(d, 4) : '    <no description>'}\n\n`;
    })
    .join('');
}

/**
 * The kind in the version --api-version names (`group/version`, or `version` for the core group), or
 * kubectl's error when the server has no such group-version or the kind is not in it.
 */
function inVersion(
  api: ApiServer,
  flavor: string | undefined,
  kind: ResolvedKind,
  apiVersion: string,
): ResolvedKind | string {
  const parts = apiVersion.split('/');
  if (parts.length > 2) return `error: unexpected GroupVersion string: ${apiVersion}\n`;
  const [group, version] = parts.length === 2 ? (parts as [string, string]) : ['', parts[0]!];
  const gvr = `${group}/${version}, Resource=${kind.plural}`;
  const served = (x: ResolvedKind) => !flavor || servedIn(x, flavor);
  if (!api.registry.allVersions().some((x) => x.group === group && x.version === version && served(x)))
    return `error: couldn't find resource for "${gvr}"\n`;
  const found = api.registry.byResource(group, kind.plural, version);
  return found && served(found) ? found : `error: GVR (${gvr}) not found in OpenAPI schema\n`;
}

export function explain(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const { values, args } = parseFlags(argv, [
    { long: 'api-version', kind: 'string' },
    { long: 'recursive', kind: 'bool' },
    { long: 'output', short: 'o', kind: 'string' },
  ]);
  const target = args[0]?.replace(/\.$/, '');
  if (!target) {
    ctx.err(
      'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n',
    );
    return 1;
  }
  const [type, ...dotted] = target.split('.');
  const flavor = api.flavorOf(k.space);
  let kind = api.registry.resolve(type!, flavor);
  if (!kind) {
    ctx.err(`the server doesn't have a resource type "${type}"\n`);
    return 1;
  }
  // `deployments.apps.spec`: a resource named with its group, then the field path
  const qualified = `${kind.plural}.${kind.group}`;
  const path =
    kind.group && target.startsWith(qualified)
      ? target
          .slice(qualified.length + 1)
          .split('.')
          .filter(Boolean)
      : dotted;
  const apiVersion = values.get('api-version');
  if (typeof apiVersion === 'string' && apiVersion !== '') {
    const found = inVersion(api, flavor, kind, apiVersion);
    if (typeof found === 'string') {
      ctx.err(found);
      return 1;
    }
    kind = found;
  }
  const header = `${kind.group ? `GROUP:      ${kind.group}\n` : ''}KIND:       ${kind.kind}\nVERSION:    ${kind.version}\n\n`;
  let s: Schema | undefined = kind.fullSchema;
  for (const part of path) {
    const obj: Schema | undefined = s?.type === 'array' ? s.items : s;
    const next: Schema | undefined =
      obj?.properties?.[part] ??
      (typeof obj?.additionalProperties === 'object' ? obj.additionalProperties : undefined);
    if (!next) {
      ctx.out(header);
      ctx.err(`error: field "${part}" does not exist\n`);
      return 1;
    }
    s = next;
  }
  const schema = s!;
  let text = header;
  if (path.length) {
    const name = path[path.length - 1]!;
    const enumBlock = schema.enum ? `ENUM:\n${schema.enum.map((v) => `    ${v}\n`).join('')}` : '\n';
    text += `FIELD: ${name} <${typeName(schema)}>\n${enumBlock}\n${describe(description(schema))}`;
  } else {
    text += describe(kind.description ?? schema.description ?? '');
  }
  const fields = fieldsOf(schema);
  text += fields ? `FIELDS:\n${fields}\n` : '\n';
  ctx.out(text);
  return 0;
}
