// The Supervisor controller: turns an enabled cluster into a Supervisor Cluster over lab time.
// CONFIGURING: three control-plane VMs deployed (DRS keeps them on distinct hosts while it can), the
// Kubernetes control plane initialises, the API endpoint comes up on a VIP, the floating IP goes to one
// VM, and on NSX-T a Spherelet joins every host as a node. Then RUNNING, with the floating IP following
// a healthy control-plane VM. Deleting the Supervisor (disable) removes all of it.
import { newUid, rfc3339 } from '../../api/environment';
import type { KubeObject } from '../../api/types';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
import { lifecycle } from '../lifecycle';
import type { World } from '../world';
import { formatIp, parseCidr, parseIp, parseRange } from '../vcenter/ipv4';
import { GROUP, VCENTER } from '../vcenter/kinds';
import { hostSpec, hostStatus, vmSpec, vmStatus } from '../vcenter/model';
import type { SupervisorSpec } from './admission';
import { syncNodes } from './nodes';
import { namespacesPoolName, rootPoolName } from '../vcenter/scenario';
import { CONTROL_PLANE_COUNT, controlPlaneSizes, controlPlaneVmName } from './sizes';

export const SUPERVISOR_SPACE = 'supervisor';
const FINALIZER = 'vcenter.lab/workload-management';

export interface SupervisorStatus {
  configStatus?: 'CONFIGURING' | 'RUNNING' | 'REMOVING' | 'ERROR';
  kubernetesStatus?: 'READY' | 'WARNING' | 'ERROR';
  apiEndpoint?: string;
  floatingIP?: string;
  floatingIPVM?: string;
  controlPlaneVMs?: string[];
  controlPlaneReadyAt?: string;
  sphereletsReadyAt?: string;
  removeAt?: string;
  configuredAt?: string;
  messages?: { severity: string; details: string }[];
  conditions?: {
    type: string;
    status: string;
    reason: string;
    message: string;
    lastTransitionTime?: string;
  }[];
}

const antiAffinityGroup = (cluster: string) => `supervisor-control-plane/${cluster}`;

/** The API endpoint VIP: the first usable address of the ingress CIDR (NSX-T) or the load balancer's range (VDS). */
export function apiEndpointFor(spec: SupervisorSpec): string | undefined {
  const text =
    spec.networkProvider === 'VSPHERE_NETWORK'
      ? spec.workloadNetwork?.virtualIPRanges?.[0]
      : spec.ingressCIDRs?.[0];
  if (!text) return undefined;
  const r = text.includes('/') ? parseCidr(text) : parseRange(text);
  if (!r) return undefined;
  return formatIp(text.includes('/') ? r.first + 1 : r.first);
}

/** Management addresses: VMs take the first three, the floating IP the fourth (the fifth is kept for upgrades). */
export function managementAddresses(spec: SupervisorSpec): { vms: string[]; floating: string } {
  const start = parseIp(spec.managementNetwork?.startingAddress ?? '') ?? 0;
  return { vms: [0, 1, 2].map((i) => formatIp(start + i)), floating: formatIp(start + 3) };
}

export function supervisorController(w: World): Controller {
  const toSupervisor = (o: KubeObject) => [
    keyFor(VCENTER, '', String((o.spec as { cluster?: string })?.cluster ?? '')),
  ];
  return {
    name: 'supervisor',
    watches: [
      { group: GROUP, kind: 'Supervisor' },
      {
        group: GROUP,
        kind: 'VirtualMachine',
        map: (o) => (vmSpec(o).role === 'supervisor-control-plane' ? toSupervisor(o) : []),
      },
      { group: GROUP, kind: 'HostSystem', map: toSupervisor },
    ],
    reconcile(key) {
      const { cluster: space, name } = splitKey(key);
      if (space !== VCENTER) return;
      const sup = w.vc.tryGet('supervisors', '', name);
      if (!sup) return;
      return sup.metadata.deletionTimestamp ? remove(w, sup) : configure(w, sup);
    },
  };
}

function configure(w: World, sup: KubeObject): { requeueAfterMs: number } | undefined {
  const spec = sup.spec as SupervisorSpec;
  const st: SupervisorStatus = { ...(sup.status as SupervisorStatus | undefined) };
  const now = w.now();
  const stamp = (ms: number) => rfc3339(new Date(ms));
  const addresses = managementAddresses(spec);
  const size = controlPlaneSizes[spec.size ?? 'TINY'];
  const nsx = spec.networkProvider !== 'VSPHERE_NETWORK';
  let wake: number | undefined;
  const wakeAt = (t: number) => (wake = Math.min(wake ?? t, t));

  if (!st.configStatus) {
    st.configStatus = 'CONFIGURING';
    w.recorder.event(
      w.vc,
      sup,
      'Normal',
      'EnablingWorkloadManagement',
      `Enabling Workload Management on ${spec.cluster} (${nsx ? 'NSX-T' : 'vSphere networking'}, size ${spec.size})`,
      'wcp',
    );
  }

  // 1. The Namespaces resource pool, then three control-plane VMs in it, owned by the Supervisor and
  // kept apart by an anti-affinity rule.
  const owner = {
    apiVersion: `${GROUP}/v1`,
    kind: 'Supervisor',
    name: sup.metadata.name!,
    uid: sup.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
  const pool = namespacesPoolName(spec.cluster);
  if (!w.vc.tryGet('resourcepools', '', pool)) {
    w.vc.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'ResourcePool',
      metadata: { name: pool, ownerReferences: [owner] },
      spec: {
        cluster: spec.cluster,
        parent: rootPoolName(spec.cluster),
        cpu: { reservationMHz: 0, limitMHz: -1, shares: 'normal' },
        memory: { reservationMB: 0, limitMB: -1, shares: 'normal' },
      },
    });
  }
  const vms: KubeObject[] = [];
  for (let i = 1; i <= CONTROL_PLANE_COUNT; i++) {
    const vmName = controlPlaneVmName(i);
    let vm = w.vc.tryGet('virtualmachines', '', vmName);
    if (!vm) {
      vm = w.vc.create({
        apiVersion: `${GROUP}/v1`,
        kind: 'VirtualMachine',
        metadata: { name: vmName, ownerReferences: [owner] },
        spec: {
          cluster: spec.cluster,
          resourcePool: pool,
          folder: 'Namespaces',
          role: 'supervisor-control-plane',
          numCPUs: size.numCPUs,
          memoryMB: size.memoryMB,
          antiAffinityGroup: antiAffinityGroup(spec.cluster),
          powerState: 'poweredOn',
          ips: [addresses.vms[i - 1]!],
          guestId: 'vmwarePhoton64Guest',
          uuid: `42${newUid(w.random).replace(/-/g, '').slice(2)}`,
        },
      });
    }
    vms.push(vm);
  }
  st.controlPlaneVMs = vms.map((v) => v.metadata.name!);
  const running = vms.filter((v) => vmStatus(v).phase === 'Running');

  // 2. Kubernetes control plane: initialises once all three VMs first run.
  if (!st.controlPlaneReadyAt && running.length === CONTROL_PLANE_COUNT) {
    st.controlPlaneReadyAt = stamp(now + lifecycle.supervisorControlPlaneInit);
  }
  const controlPlaneUp = Boolean(st.controlPlaneReadyAt) && Date.parse(st.controlPlaneReadyAt!) <= now;
  if (st.controlPlaneReadyAt && !controlPlaneUp) wakeAt(Date.parse(st.controlPlaneReadyAt));

  // 3. API endpoint and floating IP; the floating IP follows a running control-plane VM.
  if (controlPlaneUp) {
    st.apiEndpoint ??= apiEndpointFor(spec);
    st.floatingIP ??= addresses.floating;
    const holder = vms.find((v) => v.metadata.name === st.floatingIPVM);
    if (!holder || vmStatus(holder).phase !== 'Running') {
      const next = running[0];
      if (next && next.metadata.name !== st.floatingIPVM) {
        if (st.floatingIPVM) {
          w.recorder.event(
            w.vc,
            sup,
            'Warning',
            'FloatingIPMoved',
            `Floating IP ${st.floatingIP} moved from ${st.floatingIPVM} to ${next.metadata.name} (${st.floatingIPVM} is not running)`,
            'wcp',
          );
        }
        st.floatingIPVM = next.metadata.name;
      }
    }
    if (nsx && !st.sphereletsReadyAt) st.sphereletsReadyAt = stamp(now + lifecycle.sphereletInstall);
  }

  // 4. Spherelets (NSX-T only): every host of the cluster joins as a node.
  const hosts = w.vc.list('hostsystems').items.filter((h) => hostSpec(h).cluster === spec.cluster);
  const sphereletsUp = nsx && Boolean(st.sphereletsReadyAt) && Date.parse(st.sphereletsReadyAt!) <= now;
  if (nsx && st.sphereletsReadyAt && !sphereletsUp) wakeAt(Date.parse(st.sphereletsReadyAt));
  if (sphereletsUp) {
    for (const h of hosts) {
      const hs = hostStatus(h);
      if (hs.spherelet?.installed || hs.state === 'failed') continue;
      w.vc.updateStatus({
        ...h,
        status: { ...hs, spherelet: { installed: true, version: 'spherelet-7.0.3' } },
      });
      w.recorder.event(
        w.vc,
        h,
        'Normal',
        'SphereletInstalled',
        `Spherelet installed on ${h.metadata.name}; the host joins the Supervisor as a node`,
        'wcp',
      );
    }
  }
  if (controlPlaneUp) syncNodes(w, vms, sphereletsUp ? hosts : [], st.floatingIPVM);

  // 5. Phase and health.
  const ready = controlPlaneUp && Boolean(st.apiEndpoint) && (!nsx || sphereletsUp);
  if (ready && st.configStatus === 'CONFIGURING') {
    st.configStatus = 'RUNNING';
    st.configuredAt = stamp(now);
    w.recorder.event(
      w.vc,
      sup,
      'Normal',
      'WorkloadManagementEnabled',
      `Workload Management is running on ${spec.cluster}; Kubernetes API endpoint ${st.apiEndpoint}`,
      'wcp',
    );
  }
  const hostsOf = new Map(vms.map((v) => [v.metadata.name!, vmStatus(v).host]));
  const placed = [...hostsOf.values()].filter(Boolean);
  const spread = new Set(placed).size === placed.length;
  const connectedHosts = hosts.filter((h) => hostStatus(h).state === 'connected').length;
  const conditions: SupervisorStatus['conditions'] = [
    condition(
      'ControlPlaneVMsDeployed',
      vms.every((v) => vmStatus(v).phase === 'Running'),
      `${running.length}/${CONTROL_PLANE_COUNT} control-plane VMs running`,
    ),
    condition(
      'ControlPlaneReady',
      controlPlaneUp,
      controlPlaneUp ? 'Kubernetes control plane is up' : 'Kubernetes control plane is initialising',
    ),
    condition(
      'ControlPlaneVMsSpread',
      spread && connectedHosts >= CONTROL_PLANE_COUNT,
      spread && connectedHosts >= CONTROL_PLANE_COUNT
        ? 'control-plane VMs run on distinct hosts'
        : `anti-affinity is best-effort: ${connectedHosts} connected host(s) for ${CONTROL_PLANE_COUNT} control-plane VMs`,
    ),
  ];
  if (nsx)
    conditions.push(
      condition(
        'SphereletsReady',
        sphereletsUp,
        sphereletsUp ? 'Spherelet runs on every host' : 'Spherelets are being installed',
      ),
    );
  const prev = new Map((st.conditions ?? []).map((c) => [c.type, c]));
  st.conditions = conditions.map((c) => {
    const old = prev.get(c.type);
    return { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : stamp(now) };
  });
  const degraded =
    st.configStatus === 'RUNNING' &&
    (running.length < CONTROL_PLANE_COUNT || !spread || connectedHosts < CONTROL_PLANE_COUNT);
  st.kubernetesStatus = st.configStatus !== 'RUNNING' ? undefined : degraded ? 'WARNING' : 'READY';
  st.messages = degraded
    ? [{ severity: 'WARNING', details: conditions.find((c) => c.status === 'False')?.message ?? 'degraded' }]
    : [];

  const next = JSON.parse(JSON.stringify(st)) as SupervisorStatus;
  if (JSON.stringify(next) !== JSON.stringify(sup.status ?? {})) w.vc.updateStatus({ ...sup, status: next });
  return wake === undefined ? undefined : { requeueAfterMs: wake - now };
}

function condition(type: string, ok: boolean, message: string) {
  return { type, status: ok ? 'True' : 'False', reason: ok ? type : `Not${type}`, message };
}

/** Disable: REMOVING, then the control plane, Spherelets and nodes go, then the Supervisor itself. */
function remove(w: World, sup: KubeObject): { requeueAfterMs: number } | undefined {
  const spec = sup.spec as SupervisorSpec;
  const st: SupervisorStatus = { ...(sup.status as SupervisorStatus | undefined) };
  const now = w.now();
  if (st.configStatus !== 'REMOVING') {
    st.configStatus = 'REMOVING';
    st.kubernetesStatus = undefined;
    st.removeAt = rfc3339(new Date(now + lifecycle.supervisorRemove));
    w.vc.updateStatus({ ...sup, status: JSON.parse(JSON.stringify(st)) as object });
    w.recorder.event(
      w.vc,
      sup,
      'Normal',
      'DisablingWorkloadManagement',
      `Disabling Workload Management on ${spec.cluster}`,
      'wcp',
    );
  }
  if (Date.parse(st.removeAt!) > now) return { requeueAfterMs: Date.parse(st.removeAt!) - now };
  for (let i = 1; i <= CONTROL_PLANE_COUNT; i++) {
    if (w.vc.tryGet('virtualmachines', '', controlPlaneVmName(i)))
      w.vc.delete('virtualmachines', '', controlPlaneVmName(i));
  }
  for (const h of w.vc.list('hostsystems').items.filter((x) => hostSpec(x).cluster === spec.cluster)) {
    const hs = hostStatus(h);
    if (hs.spherelet) {
      const { spherelet: _s, ...rest } = hs;
      w.vc.updateStatus({ ...h, status: rest });
    }
  }
  syncNodes(w, [], [], undefined);
  const latest = w.vc.get('supervisors', '', sup.metadata.name!);
  w.vc.patch('supervisors', '', sup.metadata.name!, 'merge', {
    metadata: {
      finalizers: (latest.metadata.finalizers ?? []).filter((f) => f !== FINALIZER),
      resourceVersion: latest.metadata.resourceVersion,
    },
  });
  w.recorder.event(
    w.vc,
    sup,
    'Normal',
    'WorkloadManagementDisabled',
    `Workload Management disabled on ${spec.cluster}`,
    'wcp',
  );
  return undefined;
}
