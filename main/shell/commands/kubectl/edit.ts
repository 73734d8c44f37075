// kubectl edit: the object (or a List of them) opens as YAML in the session's editor under kubectl's
// comment header; what is saved goes back as a strategic merge patch. An edit the server refuses comes
// back in the editor with the reasons on top, as kubectl reopens its file; saving it unchanged gives up.
import { parse } from 'yaml';
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status } from '../../../api/types';
import type { ResolvedKind } from '../../../api/registry';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { parseFlags, type FlagSpec } from './flags';
import { requiredResourceArgs } from './resources';
import { typeName } from './common';
import { errorFromServer, kubectlJson, kubectlYaml } from './get';
import { threeWayPatch } from './apply';
import { isObject } from '../../../api/patch';

const flags: FlagSpec[] = [
  { long: 'namespace', short: 'n', kind: 'string' },
  { long: 'output', short: 'o', kind: 'string' },
  { long: 'selector', short: 'l', kind: 'string' },
  { long: 'all-namespaces', short: 'A', kind: 'bool' },
];

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

const withoutComments = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

interface Target {
  kind: ResolvedKind;
  object: KubeObject;
}

export async function edit(
  api: ApiServer,
  k: KubectlContext,
  ctx: CommandContext,
  argv: string[],
): Promise<number> {
  const { values, args } = parseFlags(argv, flags);
  const output = (values.get('output') as string | undefined) ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') {
    ctx.err(`error: the edit mode "${output}" is not supported; use yaml or json\n`);
    return 1;
  }
  const parsed = requiredResourceArgs(ctx, args);
  if (!parsed) return 1;
  const flavor = api.flavorOf(k.space);
  const namespace = (values.get('namespace') as string | undefined) ?? k.namespace;
  const all = values.get('all-namespaces') === true;
  const base = (kind: ResolvedKind, ns?: string) => ({
    user: k.user,
    cluster: k.space,
    group: kind.group,
    version: kind.version,
    resource: kind.plural,
    namespace: kind.namespaced ? (ns ?? (all ? undefined : namespace)) : undefined,
  });
  const targets: Target[] = [];
  for (const p of parsed) {
    const kind = api.registry.resolve(p.type, flavor);
    if (!kind) {
      ctx.err(`error: the server doesn't have a resource type "${p.type}"\n`);
      return 1;
    }
    const r =
      p.name === undefined
        ? api.request({
            ...base(kind),
            verb: 'list',
            query: { labelSelector: values.get('selector') as string | undefined },
          })
        : api.request({ ...base(kind), verb: 'get', name: p.name });
    if (r.status >= 400) {
      ctx.err(errorFromServer(r.body as Status));
      return 1;
    }
    const objects = p.name === undefined ? (r.body as { items: KubeObject[] }).items : [r.body as KubeObject];
    for (const o of objects)
      targets.push({ kind, object: { ...o, apiVersion: kind.apiVersion, kind: kind.kind } });
  }
  if (!targets.length) {
    ctx.err('error: no objects passed to edit\n');
    return 1;
  }

  const doc =
    targets.length === 1
      ? targets[0]!.object
      : { apiVersion: 'v1', items: targets.map((t) => t.object), kind: 'List', metadata: {} };
  const render = (v: unknown) => (output === 'json' ? kubectlJson(v) : kubectlYaml(v));
  const original = render(doc);
  const first = targets[0]!;
  const fileName = `/tmp/kubectl-edit-${first.kind.plural}-${first.object.metadata.name}.${output}`;
  let text = HEADER + original;
  let lastRefused: string | undefined;
  for (;;) {
    const editing = ctx.session.openEditor(fileName, text, ctx.signal);
    if (!editing) {
      ctx.err(
        "error: no editor in this session: kubectl edit needs the app's YAML editor, or EDITOR in a terminal\n",
      );
      return 1;
    }
    const saved = await editing;
    if (ctx.signal.aborted) return 130;
    if (saved === undefined) {
      ctx.err('Edit cancelled, no changes made.\n');
      return 0;
    }
    const body = withoutComments(saved);
    if (!body.trim()) {
      ctx.err('Edit cancelled, saved file was empty.\n');
      return 0;
    }
    if (body === original) {
      ctx.err('Edit cancelled, no changes made.\n');
      return 0;
    }
    if (lastRefused !== undefined && body === lastRefused) {
      ctx.err('error: Edit cancelled, no valid changes were saved.\n');
      return 1;
    }
    let edited: unknown;
    try {
      edited = parse(body);
    } catch (e) {
      lastRefused = body;
      text = `${HEADER}# The edited file had a syntax error: ${(e as Error).message.split('\n')[0]}\n#\n${body}`;
      continue;
    }
    const editedItems =
      targets.length === 1
        ? [edited]
        : isObject(edited) && Array.isArray(edited.items)
          ? edited.items
          : undefined;
    if (!editedItems || editedItems.length !== targets.length) {
      lastRefused = body;
      text = `${HEADER}# Error: the list of objects may not change while editing\n#\n${body}`;
      continue;
    }
    const problems: string[] = [];
    const done: string[] = [];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const e = editedItems[i];
      const name = t.object.metadata.name!;
      if (!isObject(e)) {
        problems.push(`# Error: object ${i + 1} is not a map`);
        continue;
      }
      const meta = isObject(e.metadata) ? e.metadata : {};
      if (e.apiVersion !== t.object.apiVersion || e.kind !== t.object.kind || meta.name !== name) {
        problems.push('# Error: At least one of apiVersion, kind and name was changed');
        continue;
      }
      const patch = threeWayPatch(t.object, e, t.object);
      if (!Object.keys(patch).length) continue;
      const r = api.request({
        ...base(t.kind, t.object.metadata.namespace),
        verb: 'patch',
        name,
        body: patch,
        patchType: 'strategic',
      });
      if (r.status >= 400) {
        const st = r.body as Status;
        const causes = st.details?.causes ?? [];
        problems.push(
          `# ${t.kind.plural} "${name}" was not valid:`,
          ...(causes.length
            ? causes.map((c) => `# * ${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`)
            : [`# * ${st.message}`]),
        );
      } else done.push(`${typeName(t.kind)}/${name} edited\n`);
    }
    for (const d of done) ctx.out(d);
    if (!problems.length) return 0;
    lastRefused = body;
    text = `${HEADER}${problems.join('\n')}\n#\n${body}`;
  }
}
