// The TKG Service's admission webhooks for TanzuKubernetesClusters: the mutating one resolves a
// version hint to a TKr and fills in the defaults; the validating one refuses what the service cannot
// build, with the webhook's name before its message, as kubectl prints a webhook's denial.
import type { AdmissionAttributes, AdmissionPlugin } from '../../api/admission';
import { statusFailure } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import type { World } from '../world';
import { SUPERVISOR_SPACE } from '../supervisor/controller';
import { storageClassName, type NamespaceSpec } from '../supervisor/namespaces';
import { compareVersions, isCompatible, minorOf, resolveHint, tkrName, tkrVersion } from './catalogue';
import { RUN_GROUP } from './kinds';

export const VALIDATING_WEBHOOK = 'default.validating.tanzukubernetescluster.run.tanzu.vmware.com';
export const MUTATING_WEBHOOK = 'version.mutating.tanzukubernetescluster.run.tanzu.vmware.com';

export interface Topology {
  replicas?: number;
  vmClass?: string;
  storageClass?: string;
  tkr?: { reference?: { name?: string } };
  volumes?: { name?: string; mountPath?: string; capacity?: Record<string, string>; storageClass?: string }[];
}
export interface NodePool extends Topology {
  name?: string;
  labels?: Record<string, string>;
  taints?: { key?: string; value?: string; effect?: string }[];
}
export interface TkcSpec {
  topology?: { controlPlane?: Topology; nodePools?: NodePool[] };
  distribution?: { version?: string; fullVersion?: string };
  settings?: {
    network?: {
      cni?: { name?: string };
      pods?: { cidrBlocks?: string[] };
      services?: { cidrBlocks?: string[] };
      serviceDomain?: string;
    };
    storage?: { classes?: string[]; defaultClass?: string };
  };
}

export const tkcSpec = (o: KubeObject): TkcSpec => (o.spec ?? {}) as TkcSpec;

const isTkc = (a: AdmissionAttributes) =>
  a.cluster === SUPERVISOR_SPACE && a.kind.group === RUN_GROUP && a.kind.kind === 'TanzuKubernetesCluster';

/** A webhook's denial: 403 Forbidden, `admission webhook "…" denied the request: …`. */
const denied = (webhook: string, message: string) =>
  statusFailure(403, 'Forbidden', `admission webhook "${webhook}" denied the request: ${message}`);

export function tkcAdmission(w: World): AdmissionPlugin {
  const k = w.k8s(SUPERVISOR_SPACE);
  return {
    name: 'TanzuKubernetesClusterWebhooks',
    mutate(a) {
      if (!isTkc(a) || !a.object || a.subresource || a.operation === 'DELETE') return;
      const spec = (a.object.spec ??= {}) as TkcSpec;
      const topo = (spec.topology ??= {});
      const cp = (topo.controlPlane ??= {});
      cp.replicas ??= 1;
      // a version hint (v1alpha1's distribution.version, or a v1alpha2 distribution kept for it): the newest
      // compatible TKr it names, written where v1alpha2 keeps it
      const d = spec.distribution;
      if (!cp.tkr?.reference?.name && (d?.fullVersion || d?.version)) {
        let name: string | undefined;
        if (d.fullVersion) {
          name = tkrName(d.fullVersion);
          if (d.version && !d.fullVersion.replace(/^v/, '').startsWith(d.version.replace(/^v/, '')))
            throw denied(
              MUTATING_WEBHOOK,
              `full version "${d.fullVersion}" does not match version hint "${d.version}"`,
            );
        } else {
          const t = resolveHint(w, d.version!);
          if (!t)
            throw denied(
              MUTATING_WEBHOOK,
              `could not resolve TKR/OVA version from version hint "${d.version}"`,
            );
          name = t.metadata.name!;
        }
        cp.tkr = { reference: { name } };
      }
      const cpTkr = cp.tkr?.reference?.name;
      if (cpTkr && spec.distribution) {
        spec.distribution.fullVersion = `v${tkrVersion(cpTkr)}`;
        spec.distribution.version ??= spec.distribution.fullVersion;
      }
      for (const pool of topo.nodePools ?? []) {
        if (!pool.tkr?.reference?.name && cpTkr) pool.tkr = { reference: { name: cpTkr } };
        pool.storageClass ??= cp.storageClass;
      }
      const net = ((spec.settings ??= {}).network ??= {});
      net.cni ??= { name: 'antrea' };
      net.cni.name ??= 'antrea';
      net.services ??= { cidrBlocks: ['10.96.0.0/12'] };
      net.pods ??= { cidrBlocks: ['192.168.0.0/16'] };
      net.serviceDomain ??= 'cluster.local';
    },
    validate(a) {
      if (!isTkc(a) || !a.object || a.subresource || a.operation === 'DELETE') return;
      if (a.oldObject?.metadata.deletionTimestamp) return;
      const spec = tkcSpec(a.object);
      const problems: string[] = [];
      const cp = spec.topology?.controlPlane ?? {};
      const pools = spec.topology?.nodePools ?? [];
      if (cp.replicas !== 1 && cp.replicas !== 3)
        problems.push('control plane can only be either 1 or 3 nodes');
      const vns = w.vc.tryGet('vspherenamespaces', '', a.namespace);
      const policies = new Set(
        ((vns?.spec as NamespaceSpec | undefined)?.storagePolicies ?? []).map(storageClassName),
      );
      const bound = (cls: string) => Boolean(k.tryGet('virtualmachineclassbindings', a.namespace, cls));
      const check = (path: string, t: Topology) => {
        if (!t.vmClass) problems.push(`${path}.vmClass: Required value`);
        else if (!bound(t.vmClass))
          problems.push(
            `${path}.vmClass: Invalid value: "${t.vmClass}": VirtualMachineClass "${t.vmClass}" is not bound to namespace "${a.namespace}"`,
          );
        if (!t.storageClass) problems.push(`${path}.storageClass: Required value`);
        else if (!policies.has(t.storageClass))
          problems.push(
            `${path}.storageClass: Invalid value: "${t.storageClass}": StorageClass '${t.storageClass}' is not assigned for namespace '${a.namespace}'`,
          );
        for (const v of t.volumes ?? [])
          if (v.storageClass && !policies.has(v.storageClass))
            problems.push(
              `${path}.volumes: Invalid value: "${v.storageClass}": StorageClass '${v.storageClass}' is not assigned for namespace '${a.namespace}'`,
            );
        const tkr = t.tkr?.reference?.name;
        // a node pool's release is the control plane's (checked once, there)
        if (t !== cp && tkr === cp.tkr?.reference?.name) return;
        if (!tkr)
          problems.push(
            `${path}.tkr.reference.name: Required value: a TanzuKubernetesRelease or spec.distribution.version`,
          );
        else {
          const rel = k.tryGet('tanzukubernetesreleases', '', tkr);
          if (!rel)
            problems.push(
              `${path}.tkr.reference.name: Invalid value: "${tkr}": TanzuKubernetesRelease "${tkr}" not found`,
            );
          else if (!isCompatible(rel))
            problems.push(
              `${path}.tkr.reference.name: Invalid value: "${tkr}": TanzuKubernetesRelease "${tkr}" is not compatible with this Supervisor`,
            );
        }
      };
      check('spec.topology.controlPlane', cp);
      if (!pools.length) problems.push('spec.topology.nodePools: Required value: at least one node pool');
      const names = new Set<string>();
      pools.forEach((p, i) => {
        const path = `spec.topology.nodePools[${i}]`;
        if (!p.name) problems.push(`${path}.name: Required value`);
        else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name))
          problems.push(`${path}.name: Invalid value: "${p.name}": a lowercase RFC 1123 label`);
        else if (names.has(p.name)) problems.push(`${path}.name: Duplicate value: "${p.name}"`);
        if (p.name) names.add(p.name);
        if (p.replicas !== undefined && p.replicas < 0)
          problems.push(`${path}.replicas: Invalid value: ${p.replicas}: must be greater than or equal to 0`);
        if (
          p.tkr?.reference?.name &&
          cp.tkr?.reference?.name &&
          p.tkr.reference.name !== cp.tkr.reference.name
        )
          problems.push(
            `${path}.tkr.reference.name: Invalid value: "${p.tkr.reference.name}": must match the control plane's TanzuKubernetesRelease`,
          );
        check(path, p);
      });
      const defaultClass = spec.settings?.storage?.defaultClass;
      if (defaultClass && !policies.has(defaultClass))
        problems.push(
          `spec.settings.storage.defaultClass: Invalid value: "${defaultClass}": StorageClass '${defaultClass}' is not assigned for namespace '${a.namespace}'`,
        );
      const cni = spec.settings?.network?.cni?.name;
      if (cni && !['antrea', 'calico'].includes(cni))
        problems.push(
          `spec.settings.network.cni.name: Unsupported value: "${cni}": supported values: "antrea", "calico"`,
        );
      if (a.operation === 'UPDATE' && a.oldObject) {
        const old = tkcSpec(a.oldObject);
        if (JSON.stringify(old.settings?.network ?? {}) !== JSON.stringify(spec.settings?.network ?? {}))
          problems.push(
            'updates to immutable fields are not allowed, spec.settings.network may not be changed',
          );
        if ((old.topology?.controlPlane?.replicas ?? 1) > (cp.replicas ?? 1))
          problems.push(
            'spec.topology.controlPlane.replicas: Forbidden: the control plane cannot be scaled in',
          );
        const was = old.topology?.controlPlane?.tkr?.reference?.name;
        const now = cp.tkr?.reference?.name;
        if (was && now && was !== now) {
          const from = tkrVersion(was);
          const to = tkrVersion(now);
          if (compareVersions(to, from) < 0)
            problems.push(
              `spec.topology.controlPlane.tkr.reference.name: Invalid value: "${now}": The version may not be decreased.`,
            );
          else if (minorOf(to) > minorOf(from) + 1)
            problems.push(
              `spec.topology.controlPlane.tkr.reference.name: Invalid value: "${now}": If the minor version is changed, it may only be incremented; skipping minor versions is not supported.`,
            );
        }
      }
      if (!vns && a.operation === 'CREATE')
        problems.push(`namespace "${a.namespace}" is not a vSphere Namespace`);
      if (problems.length) throw denied(VALIDATING_WEBHOOK, problems.join(', '));
    },
  };
}
