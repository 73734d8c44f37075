// The YAML editor's JSON schema: the registry's OpenAPI (the same document /openapi/v3 serves and
// `kubectl explain` reads), one alternative per kind picked by apiVersion and kind, with live values —
// the VM classes, storage classes and TKrs the current namespace may use — as enums where a manifest
// names them. Templates for the manifests a learner writes most.
import { servedIn } from '../../api/registry';
import type { KubeObject } from '../../api/types';
import type { Lab } from '../../sim/lab';
import { openapiV3 } from '../endpoint/openapi';
import type { EditorTemplate } from '../../../preload/contract';
import { listOrEmpty, supervisorAs, type SignedIn } from './identity';

type Json = Record<string, unknown>;

export interface LiveValues {
  namespace: string;
  vmClasses: string[];
  storageClasses: string[];
  tkrs: string[];
  images: string[];
}

const conditionTrue = (o: KubeObject, type: string) =>
  ((o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === type && c.status === 'True',
  );

/** What the signed-in user may use in their current namespace. */
export function liveValues(lab: Lab, who: SignedIn): LiveValues {
  if (!lab.api.hasApiSpace('supervisor'))
    return { namespace: who.namespace, vmClasses: [], storageClasses: [], tkrs: [], images: [] };
  const c = supervisorAs(lab, who);
  const vsphereNs = lab.world.vc.tryGet('vspherenamespaces', '', who.namespace);
  const bindings = listOrEmpty(
    c,
    'virtualmachineclassbindings.vmoperator.vmware.com',
    vsphereNs ? who.namespace : undefined,
  );
  const vmClasses = [
    ...new Set(bindings.map((b) => (b as unknown as { classRef?: { name?: string } }).classRef?.name ?? '')),
  ].filter(Boolean);
  const policies = (vsphereNs?.spec as { storagePolicies?: string[] } | undefined)?.storagePolicies;
  const storageClasses = listOrEmpty(c, 'storageclasses')
    .map((s) => s.metadata.name!)
    .filter((n) => !policies || policies.includes(n));
  const hasTkr = lab.api.registry.byKind('run.tanzu.vmware.com', 'TanzuKubernetesRelease');
  const tkrs = hasTkr
    ? listOrEmpty(c, 'tanzukubernetesreleases.run.tanzu.vmware.com')
        .filter((t) => conditionTrue(t, 'Compatible'))
        .map((t) => t.metadata.name!)
    : [];
  const images = listOrEmpty(c, 'virtualmachineimages.vmoperator.vmware.com').map((i) => i.metadata.name!);
  return { namespace: who.namespace, vmClasses, storageClasses, tkrs: tkrs.sort().reverse(), images };
}

const withEnum = (s: unknown, values: string[]): unknown =>
  values.length && s && typeof s === 'object' ? { ...(s as Json), enum: values } : s;

/** Puts the live values where manifests name classes, storage classes, TKrs and images. */
function liven(s: unknown, live: LiveValues, path: string[] = []): unknown {
  if (Array.isArray(s)) return s.map((x) => liven(x, live, path));
  if (!s || typeof s !== 'object') return s;
  const out: Json = {};
  for (const [k, v] of Object.entries(s as Json)) {
    if (k !== 'properties' || !v || typeof v !== 'object') {
      out[k] = k === 'items' || k === 'additionalProperties' ? liven(v, live, path) : v;
      continue;
    }
    const props: Json = {};
    for (const [p, ps] of Object.entries(v as Json)) {
      const here = [...path, p];
      let next = liven(ps, live, here);
      if (['vmClass', 'className', 'class'].includes(p)) next = withEnum(next, live.vmClasses);
      else if (['storageClass', 'storageClassName', 'defaultClass'].includes(p))
        next = withEnum(next, live.storageClasses);
      else if (p === 'imageName') next = withEnum(next, live.images);
      else if (p === 'name' && path.at(-1) === 'reference' && path.at(-2) === 'tkr')
        next = withEnum(next, live.tkrs);
      props[p] = next;
    }
    out.properties = props;
  }
  return out;
}

/** One schema for any Supervisor manifest: an alternative per kind and version, told apart by kind and apiVersion. */
export function editorSchema(lab: Lab, live: LiveValues): Json {
  const gvs = new Set(
    lab.registry
      .allVersions()
      .filter((k) => servedIn(k, 'supervisor'))
      .map((k) => `${k.group}|${k.version}`),
  );
  const alternatives: Json[] = [];
  for (const gv of gvs) {
    const [group, version] = gv.split('|') as [string, string];
    const doc = openapiV3(lab.registry, 'supervisor', group, version) as
      { components: { schemas: Record<string, Json> } } | undefined;
    for (const s of Object.values(doc?.components.schemas ?? {})) {
      const gvk = (
        s['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[]
      )[0]!;
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      const props = (s.properties ?? {}) as Json;
      alternatives.push({
        ...(liven(s, live) as Json),
        title: `${gvk.kind} (${apiVersion})`,
        properties: {
          ...((liven(s, live) as Json).properties as Json),
          apiVersion: { ...((props.apiVersion as Json) ?? {}), type: 'string', enum: [apiVersion] },
          kind: { ...((props.kind as Json) ?? {}), type: 'string', enum: [gvk.kind] },
        },
        required: ['apiVersion', 'kind', 'metadata'],
      });
    }
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Supervisor manifest',
    anyOf: alternatives,
  };
}

/** Manifests to start from, filled with what the current namespace offers. */
export function templates(live: LiveValues): EditorTemplate[] {
  const ns = live.namespace === 'default' ? 'demo' : live.namespace;
  const vmClass = live.vmClasses[0] ?? 'best-effort-small';
  const storage = live.storageClasses[0] ?? 'k8s-gold';
  const tkr =
    live.tkrs.find((t) => t.startsWith('v1.21')) ?? live.tkrs[0] ?? 'v1.21.6---vmware.1-tkg.1.b3d708a';
  return [
    {
      id: 'tkc',
      title: 'TanzuKubernetesCluster',
      file: '/tkc.yaml',
      text: `apiVersion: run.tanzu.vmware.com/v1alpha2
kind: TanzuKubernetesCluster
metadata:
  name: tkc-01
  namespace: ${ns}
spec:
  topology:
    controlPlane:
      replicas: 1
      vmClass: ${vmClass}
      storageClass: ${storage}
      tkr:
        reference:
          name: ${tkr}
    nodePools:
    - name: workers
      replicas: 2
      vmClass: ${vmClass}
      storageClass: ${storage}
`,
    },
    {
      id: 'deployment',
      title: 'vSphere Pod Deployment',
      file: '/deployment.yaml',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  namespace: ${ns}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
`,
    },
    {
      id: 'vm',
      title: 'VirtualMachine (VM Service)',
      file: '/vm.yaml',
      text: `apiVersion: vmoperator.vmware.com/v1alpha1
kind: VirtualMachine
metadata:
  name: vm-01
  namespace: ${ns}
spec:
  imageName: ${live.images[0] ?? 'ubuntu-20-1633387172196'}
  className: ${vmClass}
  powerState: poweredOn
  storageClass: ${storage}
`,
    },
  ];
}
