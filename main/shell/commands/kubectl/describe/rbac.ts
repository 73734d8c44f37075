// kubectl's describers for RBAC: a Role or ClusterRole (its rules broken down, compacted and sorted as
// rbac.CompactRules and SortableRuleSlice leave them) and a RoleBinding or ClusterRoleBinding (the role
// and the subjects; kubectl shows no events for either).
import { tabbedString } from '../../../printers/tabwriter';
import type { Describer } from './describers';
import { annotationsMultiline, goList, labelsMultiline, obj, objs, type Obj, str, strMap } from './format';

const RBAC = 'rbac.authorization.k8s.io';
const meta = (o: Obj) => obj(o.metadata);
const labelsOf = (o: Obj) => strMap(meta(o).labels);
const annotationsOf = (o: Obj) => strMap(meta(o).annotations);

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** rbac.BreakdownRule: one rule per group, resource, verb and resource name (and per non-resource URL). */
function breakdownRule(r: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of r.apiGroups ?? [])
    for (const res of r.resources ?? [])
      for (const v of r.verbs ?? []) {
        if (r.resourceNames?.length)
          for (const n of r.resourceNames)
            out.push({ apiGroups: [g], resources: [res], verbs: [v], resourceNames: [n] });
        else out.push({ apiGroups: [g], resources: [res], verbs: [v] });
      }
  for (const u of r.nonResourceURLs ?? [])
    for (const v of r.verbs ?? []) out.push({ nonResourceURLs: [u], verbs: [v] });
  return out;
}

/** rbac.CompactRules: rules on one group, resource and resource name merge their verbs. */
function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple =
      (r.resourceNames?.length ?? 0) <= 1 &&
      !r.nonResourceURLs?.length &&
      r.apiGroups?.length === 1 &&
      r.resources?.length === 1;
    if (!isSimple) {
      compacted.push(r);
      continue;
    }
    const key = `${r.apiGroups![0]}\u0000${r.resources![0]}\u0000${r.resourceNames?.[0] ?? '\u0001'}`;
    const had = simple.get(key);
    if (!had) simple.set(key, { ...r, verbs: [...(r.verbs ?? [])] });
    else for (const v of r.verbs ?? []) if (!had.verbs!.includes(v)) had.verbs!.push(v);
  }
  return [...compacted, ...simple.values()];
}

/** PolicyRule.String() of the generated Go type, which SortableRuleSlice orders by. */
const ruleString = (r: PolicyRule) =>
  `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;

/** describe.CombineResourceGroup: `resource.group[/subresource]`. */
function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources?.length) return '';
  const first = resources[0]!;
  const slash = first.indexOf('/');
  const res = slash < 0 ? first : first.slice(0, slash);
  const group = groups?.length && groups[0] ? `.${groups[0]}` : '';
  return `${res}${group}${slash < 0 ? '' : first.slice(slash)}`;
}

/** Role and ClusterRole: their rules broken down, compacted and sorted, as kubectl's describer shows them. */
export const describeRole =
  (resource: string): Describer =>
  (c, namespace, name) => {
    const got = c.get({ group: RBAC, version: 'v1', resource }, namespace, name);
    if ('error' in got) return got;
    const r = got.value as unknown as Obj;
    const rules = compactRules(((r.rules as PolicyRule[] | undefined) ?? []).flatMap(breakdownRule))
      .map((x) => ({ x, key: ruleString(x) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ x }) => x);
    return {
      text: tabbedString((w) => {
        w.write(0, `Name:\t${str(meta(r).name)}\n`);
        labelsMultiline(w, 'Labels', labelsOf(r));
        annotationsMultiline(w, 'Annotations', annotationsOf(r));
        w.write(0, 'PolicyRule:\n');
        w.write(1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
        w.write(1, '---------\t-----------------\t--------------\t-----\n');
        for (const x of rules)
          w.write(
            1,
            `${combineResourceGroup(x.resources, x.apiGroups)}\t${goList(x.nonResourceURLs)}\t${goList(x.resourceNames)}\t${goList(x.verbs)}\n`,
          );
      }),
    };
  };

/** RoleBinding and ClusterRoleBinding: the role and the subjects (kubectl prints no events for them). */
export const describeBinding =
  (resource: string): Describer =>
  (c, namespace, name) => {
    const got = c.get({ group: RBAC, version: 'v1', resource }, namespace, name);
    if ('error' in got) return got;
    const b = got.value as unknown as Obj;
    const ref = obj(b.roleRef);
    return {
      text: tabbedString((w) => {
        w.write(0, `Name:\t${str(meta(b).name)}\n`);
        labelsMultiline(w, 'Labels', labelsOf(b));
        annotationsMultiline(w, 'Annotations', annotationsOf(b));
        w.write(0, 'Role:\n');
        w.write(1, `Kind:\t${str(ref.kind)}\n`);
        w.write(1, `Name:\t${str(ref.name)}\n`);
        w.write(0, 'Subjects:\n');
        w.write(1, 'Kind\tName\tNamespace\n');
        w.write(1, '----\t----\t---------\n');
        for (const sub of objs(b.subjects))
          w.write(1, `${str(sub.kind)}\t${str(sub.name)}\t${str(sub.namespace)}\n`);
      }),
    };
  };
