// DRS, per cluster: initial placement of every VM waiting for a host (the final word on where a VM —
// and later a vSphere Pod's CRX — runs), evacuation of hosts entering maintenance mode by vMotion, and
// load balancing every DRS interval or when the set of connected hosts changes (a host recovers or
// leaves maintenance). Every decision keeps the score each host got, for `lab explain`.
import { rfc3339 } from '../../api/environment';
import type { KubeObject } from '../../api/types';
import { keyFor, splitKey, type Controller } from '../runtime/controllers';
import { lifecycle } from '../lifecycle';
import type { World } from '../world';
import { GROUP, VCENTER } from '../vcenter/kinds';
import { capacityModel, demand, hostSpec, vmSpec, vmStatus } from '../vcenter/model';
import { book, placeVm, recommendMove, type HostModel, type VmDemand } from './placement';

const MAX_MOVES_PER_PASS = 8;

type ClusterSpec = { drs?: { enabled?: boolean; automationLevel?: string; migrationThreshold?: number } };
type DrsStatus = { lastBalanceAt?: string; connectedHosts?: string[]; lastRecommendation?: string };

const byCreation = (a: KubeObject, b: KubeObject) =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  a.metadata.name!.localeCompare(b.metadata.name!);

export function drsController(w: World): Controller {
  const toCluster = (o: KubeObject) => [
    keyFor(VCENTER, '', String((o.spec as { cluster?: string })?.cluster ?? '')),
  ];
  return {
    name: 'drs',
    watches: [
      { group: GROUP, kind: 'ComputeCluster' },
      { group: GROUP, kind: 'HostSystem', map: toCluster },
      { group: GROUP, kind: 'VirtualMachine', map: toCluster },
    ],
    reconcile(key) {
      const { cluster: space, name } = splitKey(key);
      if (space !== VCENTER || !name) return;
      const cluster = w.vc.tryGet('computeclusters', '', name);
      if (!cluster) return;
      const hosts = w.vc.list('hostsystems').items.filter((h) => hostSpec(h).cluster === name);
      const vms = w.vc.list('virtualmachines').items.filter((vm) => vmSpec(vm).cluster === name);
      const { models, byHost, mhzPerCore } = capacityModel(hosts, vms);
      const index = new Map(models.map((m) => [m.name, m]));
      const now = w.now();

      abortMigrationsToLostHosts(w, vms, index);
      placePending(w, vms, models, mhzPerCore);
      evacuate(w, vms, models, index, mhzPerCore);

      // Load balancing: every interval, and at once when the connected hosts change.
      const spec = (cluster.spec ?? {}) as ClusterSpec;
      const st = ((cluster.status as { drs?: DrsStatus } | undefined)?.drs ?? {}) as DrsStatus;
      const connected = models.filter((m) => m.state === 'connected').map((m) => m.name);
      const last = st.lastBalanceAt ? Date.parse(st.lastBalanceAt) : Number.NEGATIVE_INFINITY;
      const changed = JSON.stringify(connected) !== JSON.stringify(st.connectedHosts ?? []);
      // Balancing waits while VMs are on their way (deploying, powering on, migrating) — not for VMs that
      // cannot be placed at all, which would otherwise switch balancing off for good.
      const settling = vms.some((vm) => {
        const st = vmStatus(vm);
        return (
          ['Deploying', 'PoweringOn'].includes(st.phase ?? '') ||
          Boolean(st.migration) ||
          ((st.phase ?? 'Pending') === 'Pending' && !st.placement)
        );
      });
      let recommendation = st.lastRecommendation;
      let balanced = false;
      if (
        spec.drs?.enabled !== false &&
        spec.drs?.automationLevel === 'fullyAutomated' &&
        !settling &&
        (changed || now - last >= lifecycle.drsInterval)
      ) {
        balanced = true;
        const movable = (host: string): VmDemand[] =>
          (byHost.get(host) ?? []).filter((d) => {
            const vm = vms.find((v) => v.metadata.name === d.name);
            // vSphere Pods (CRX) do not vMotion
            return (
              vm && vmSpec(vm).role !== 'crx' && vmStatus(vm).phase === 'Running' && !vmStatus(vm).migration
            );
          });
        for (let i = 0; i < MAX_MOVES_PER_PASS; i++) {
          const move = recommendMove(models, movable, spec.drs?.migrationThreshold ?? 3);
          if (!move) break;
          const vm = vms.find((v) => v.metadata.name === move.vm)!;
          const d = demand(vm, mhzPerCore);
          book(index.get(move.from)!, d, -1);
          book(index.get(move.to)!, d, 1);
          byHost.set(
            move.from,
            (byHost.get(move.from) ?? []).filter((x) => x.name !== d.name),
          );
          byHost.set(move.to, [...(byHost.get(move.to) ?? []), d]);
          startMigration(w, vm, move.to, move.reason);
          recommendation = `${move.vm}: ${move.from} → ${move.to} (${move.reason})`;
        }
      }
      // The connected hosts are recorded only once a pass has looked at them, so a change seen while VMs
      // were settling still triggers a pass when they are done.
      if (balanced) {
        const drs: DrsStatus = {
          lastBalanceAt: rfc3339(new Date(now)),
          connectedHosts: connected,
          lastRecommendation: recommendation,
        };
        w.vc.updateStatus({
          ...cluster,
          status: JSON.parse(
            JSON.stringify({ ...(cluster.status as object), hosts: hosts.length, drs }),
          ) as object,
        });
      }
      // The periodic pass; changes to VMs and hosts wake DRS anyway.
      const nextPass =
        balanced || !Number.isFinite(last) ? now + lifecycle.drsInterval : last + lifecycle.drsInterval;
      return { requeueAfterMs: Math.max(1000, nextPass - now) };
    },
  };
}

function placePending(w: World, vms: KubeObject[], models: HostModel[], mhzPerCore: number): void {
  const index = new Map(models.map((m) => [m.name, m]));
  const pending = vms
    .filter((vm) => (vmStatus(vm).phase ?? 'Pending') === 'Pending' && vmSpec(vm).powerState !== 'poweredOff')
    .sort(byCreation);
  // resource pools' admission control: what the powered-on VMs of each limited pool reserve
  const pools = new Map<string, { cpuLimit: number; memLimit: number; cpu: number; mem: number }>();
  const poolOf = (name: string | undefined) => {
    if (!name) return undefined;
    let u = pools.get(name);
    if (!u) {
      const spec = (w.vc.tryGet('resourcepools', '', name)?.spec ?? {}) as {
        cpu?: { limitMHz?: number };
        memory?: { limitMB?: number };
      };
      u = { cpuLimit: spec.cpu?.limitMHz ?? -1, memLimit: spec.memory?.limitMB ?? -1, cpu: 0, mem: 0 };
      if (u.cpuLimit >= 0 || u.memLimit >= 0)
        for (const other of vms) {
          const os = vmSpec(other);
          const phase = vmStatus(other).phase ?? 'Pending';
          if (os.resourcePool !== name || !['Deploying', 'PoweringOn', 'Running'].includes(phase)) continue;
          u.cpu += os.cpuReservationMHz ?? 0;
          u.mem += os.memoryReservationMB ?? 0;
        }
      pools.set(name, u);
    }
    return u;
  };
  for (const vm of pending) {
    const d = demand(vm, mhzPerCore);
    const spec = vmSpec(vm);
    const pool = poolOf(spec.resourcePool);
    const cpuRes = spec.cpuReservationMHz ?? 0;
    const memRes = spec.memoryReservationMB ?? 0;
    const over =
      pool && pool.memLimit >= 0 && pool.mem + memRes > pool.memLimit
        ? 'Memory'
        : pool && pool.cpuLimit >= 0 && pool.cpu + cpuRes > pool.cpuLimit
          ? 'CPU'
          : undefined;
    const p = over
      ? {
          host: undefined,
          reason: `The available ${over} resources in the parent resource pool are insufficient for the operation.`,
          scores: [],
          antiAffinityRelaxed: false,
        }
      : placeVm(d, models);
    if (p.host && pool) {
      pool.cpu += cpuRes;
      pool.mem += memRes;
    }
    const st = vmStatus(vm);
    const placement = {
      decidedAt: rfc3339(new Date(w.now())),
      host: p.host ?? null,
      reason: p.reason,
      scores: p.scores,
      antiAffinityRelaxed: p.antiAffinityRelaxed,
    };
    if (!p.host) {
      if (
        JSON.stringify((st.placement as { reason?: string } | undefined)?.reason) === JSON.stringify(p.reason)
      )
        continue;
      w.vc.updateStatus({ ...vm, status: { ...st, phase: 'Pending', placement } });
      w.recorder.event(
        w.vc,
        vm,
        'Warning',
        'InsufficientResources',
        `DRS cannot place ${vm.metadata.name}: ${p.reason}`,
        'drs',
      );
      continue;
    }
    book(index.get(p.host)!, d, 1);
    // A VM that ran before (an HA restart) only powers on; one that never ran is deployed (again).
    const restart = Boolean(st.poweredOnAt);
    const until = w.now() + (restart ? lifecycle.vmPowerOn : deployTime(vm));
    w.vc.updateStatus({
      ...vm,
      status: JSON.parse(
        JSON.stringify({
          ...st,
          host: p.host,
          phase: restart ? 'PoweringOn' : 'Deploying',
          phaseUntil: rfc3339(new Date(until)),
          placement,
        }),
      ) as object,
    });
    w.recorder.event(
      w.vc,
      vm,
      p.antiAffinityRelaxed ? 'Warning' : 'Normal',
      restart ? 'VmRestarted' : 'DrsPlaced',
      `DRS placed ${vm.metadata.name} on ${p.host}: ${p.reason}`,
      'drs',
    );
  }
}

function deployTime(vm: KubeObject): number {
  return vmSpec(vm).role === 'supervisor-control-plane' ? lifecycle.supervisorVmDeploy : lifecycle.vmClone;
}

function evacuate(
  w: World,
  vms: KubeObject[],
  models: HostModel[],
  index: Map<string, HostModel>,
  mhzPerCore: number,
): void {
  const leaving = new Set(models.filter((m) => m.state === 'entering-maintenance').map((m) => m.name));
  if (leaving.size === 0) return;
  for (const vm of [...vms].sort(byCreation)) {
    const st = vmStatus(vm);
    // vSphere Pods are evicted by the Supervisor, not migrated
    if (
      !st.host ||
      !leaving.has(st.host) ||
      st.migration ||
      st.phase !== 'Running' ||
      vmSpec(vm).role === 'crx'
    )
      continue;
    const d = demand(vm, mhzPerCore);
    const p = placeVm(d, models, st.host);
    if (!p.host) {
      const blocked = `cannot evacuate ${st.host}: ${p.reason}`;
      if ((st.placement as { reason?: string } | undefined)?.reason !== blocked) {
        w.vc.updateStatus({
          ...vm,
          status: {
            ...st,
            placement: {
              decidedAt: rfc3339(new Date(w.now())),
              host: null,
              reason: blocked,
              scores: p.scores,
            },
          },
        });
        w.recorder.event(
          w.vc,
          vm,
          'Warning',
          'EvacuationBlocked',
          `Cannot evacuate ${vm.metadata.name} from ${st.host}: ${p.reason}`,
          'drs',
        );
      }
      continue;
    }
    book(index.get(st.host)!, d, -1);
    book(index.get(p.host)!, d, 1);
    startMigration(w, vm, p.host, `evacuating ${st.host} for maintenance mode`);
  }
}

/** A vMotion whose destination failed or left service is abandoned; the VM stays where it runs. */
function abortMigrationsToLostHosts(w: World, vms: KubeObject[], index: Map<string, HostModel>): void {
  for (const vm of vms) {
    const st = vmStatus(vm);
    const to = st.migration?.to;
    if (!to || index.get(to)?.state === 'connected') continue;
    if (st.migration?.task)
      w.recorder.finishTask(
        w.vc,
        st.migration.task,
        `Host ${to} is no longer available as a vMotion destination`,
      );
    const { migration: _m, ...rest } = st;
    w.vc.updateStatus({ ...vm, status: JSON.parse(JSON.stringify(rest)) as object });
  }
}

function startMigration(w: World, vm: KubeObject, to: string, reason: string): void {
  const st = vmStatus(vm);
  const task = w.recorder.startTask(
    w.vc,
    'Migrate virtual machine',
    vm.metadata.name!,
    'VirtualMachine',
    'DRS',
  );
  w.vc.updateStatus({
    ...vm,
    status: { ...st, migration: { to, until: rfc3339(new Date(w.now() + lifecycle.vMotion)), task, reason } },
  });
  w.recorder.event(
    w.vc,
    vm,
    'Normal',
    'DrsVmMigrated',
    `DRS migrates ${vm.metadata.name} from ${st.host} to ${to}: ${reason}`,
    'drs',
  );
}
