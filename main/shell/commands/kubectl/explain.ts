// kubectl explain in the lab shell, from the registry's schemas, laid out as kubectl's plaintext template
// does: KIND and VERSION (and GROUP), the field and its type, enum values, descriptions wrapped at 80
// columns, and the fields of an object, sorted, with -required- marks.
import type { ApiServer } from '../../../api/server';
import type { Schema } from '../../../api/schema';
import type { CommandContext } from '../../session';
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

export function explain(api: ApiServer, k: KubectlContext, ctx: CommandContext, argv: string[]): number {
  const target = argv.find((a) => !a.startsWith('-'));
  if (!target) {
    ctx.err(
      'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n',
    );
    return 1;
  }
  const [type, ...path] = target.split('.');
  const kind = api.registry.resolve(type!, api.flavorOf(k.space));
  if (!kind) {
    ctx.err(`the server doesn't have a resource type "${type}"\n`);
    return 1;
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
