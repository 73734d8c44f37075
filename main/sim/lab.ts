// A lab: one SQLite file holding a whole simulated environment, opened with its API server, lab clock,
// seeded random source and controller runtime. Lab time and the random state are kept in the file, so
// a lab reopened later carries on where it stopped.
import { ApiServer } from '../api/server';
import type { AdmissionPlugin, Authorizer } from '../api/admission';
import { registerCoreKinds } from '../api/kinds';
import { Registry, type ResolvedKind } from '../api/registry';
import { Store } from '../store/store';
import { LabClock, type ClockMode, type WallSource } from './runtime/clock';
import { ControllerRuntime } from './runtime/controllers';
import { SeededRandom } from './runtime/random';
import { ApiClient } from '../api/client';
import { systemUser } from '../api/types';
import { drsController } from './drs/drs';
import { haController } from './ha/ha';
import { supervisorAdmission } from './supervisor/admission';
import { supervisorController } from './supervisor/controller';
import { registerSupervisorKinds } from './supervisor/kinds';
import { registerTkgsKinds } from './tkgs/kinds';
import { tkrController } from './tkgs/catalogue';
import { tkcAdmission } from './tkgs/admission';
import { tkcController } from './tkgs/controller';
import { quotaAdmission, quotaController } from './quota';
import { guestPodController } from './tkgs/guestPods';
import { guestLoadBalancerController } from './tkgs/guestServices';
import { guestVolumeController } from './tkgs/guestVolumes';
import { guestPodSecurityAdmission } from './tkgs/podSecurity';
import { vspherePodAdmission, vspherePodController, vspherePodLogs } from './supervisor/pods';
import { supervisorAuthorizer } from './supervisor/authorizer';
import { namespaceAdmission, namespaceController } from './supervisor/namespaces';
import { cnsVolumeKind } from './supervisor/cns';
import { registerServiceControllers, serviceAllocation } from './supervisor/services';
import { registerVolumeControllers, storageProtectionAdmission } from './supervisor/volumes';
import { registryAdmission, registryController } from './supervisor/registry';
import { registerRegistryKinds } from './supervisor/registryKinds';
import { hostController } from './vcenter/hosts';
import { GROUP as VCENTER_GROUP, registerVcenterKinds, VCENTER } from './vcenter/kinds';
import { loadScenario, type Scenario } from './vcenter/scenario';
import { vmController } from './vcenter/vmLifecycle';
import { World } from './world';
import { registerWorkloadControllers } from './workloads';

export const SUPERVISOR = 'supervisor';
/** Where lab time starts in a new lab, unless a scenario says otherwise. */
export const DEFAULT_START = Date.UTC(2026, 0, 5, 9, 0, 0);
export const DEFAULT_SEED = 'supervisor-lab';
/** Watchers that allow bookmarks get one this often (lab time), as the API server sends them about every minute. */
export const BOOKMARK_INTERVAL_MS = 60_000;

export interface LabOptions {
  /** path of the .db file, or ':memory:' */
  path: string;
  seed?: string;
  clock?: ClockMode;
  /** lab time at which a new lab starts (ms since the epoch) */
  start?: number;
  /** wall time, needed for a real-time clock */
  wall?: WallSource;
  nativeBinding?: string;
  authorizer?: Authorizer;
  admission?: AdmissionPlugin[];
  /** registers kinds beyond the core ones */
  kinds?: (registry: Registry) => void;
  /** the starting inventory of a new lab (ignored when the file already holds one) */
  scenario?: Scenario;
}

/** SSO sessions are the learner's logins, not part of the environment a snapshot or reset puts back. */
const keepThroughRestore = (kind: ResolvedKind) =>
  !(kind.group === VCENTER_GROUP && kind.kind === 'SsoSession');

export class Lab {
  readonly store: Store;
  readonly registry: Registry;
  readonly api: ApiServer;
  readonly clock: LabClock;
  readonly random: SeededRandom;
  readonly runtime: ControllerRuntime;
  readonly world: World;

  private readonly nativeBinding?: string;

  constructor(o: LabOptions) {
    this.nativeBinding = o.nativeBinding;
    this.store = new Store(o.path, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
    try {
      const seed = this.store.getMeta('seed') ?? o.seed ?? DEFAULT_SEED;
      this.random = new SeededRandom(seed);
      const randomState = this.store.getMeta('randomState');
      if (randomState) this.random.restore(randomState);
      const clockMs = Number(this.store.getMeta('clockMs') ?? o.start ?? DEFAULT_START);
      this.clock = new LabClock(clockMs, o.clock ?? { kind: 'stepped' }, o.wall);
      this.registry = new Registry();
      registerCoreKinds(this.registry);
      registerVcenterKinds(this.registry);
      registerSupervisorKinds(this.registry);
      registerTkgsKinds(this.registry);
      this.registry.register(cnsVolumeKind);
      registerRegistryKinds(this.registry);
      o.kinds?.(this.registry);
      this.api = new ApiServer({
        store: this.store,
        registry: this.registry,
        clock: this.clock,
        random: this.random,
        authorizer: o.authorizer,
        admission: o.admission,
      });
      this.runtime = new ControllerRuntime(this.api, this.clock);
      this.world = new World(this.api, this.clock, this.random);
      // vCenter's permissions decide on the Supervisor, unless the lab was given its own authorizer
      if (!o.authorizer) this.api.authorizer = supervisorAuthorizer(this.world);
      const client = (space: string) => new ApiClient(this.api, systemUser, space);
      this.api.admission.push(
        supervisorAdmission(client),
        namespaceAdmission(client),
        quotaAdmission(this.api),
        vspherePodAdmission(this.world),
        serviceAllocation(this.world),
        storageProtectionAdmission(),
        registryAdmission(client),
        tkcAdmission(this.world),
        guestPodSecurityAdmission(this.world),
      );
      this.api.logSource = vspherePodLogs(this.world, this.api.logSource);
      for (const controller of [
        hostController,
        vmController,
        haController,
        drsController,
        supervisorController,
        namespaceController,
        quotaController,
        vspherePodController,
        registryController,
        tkrController,
        tkcController,
        guestPodController,
        guestLoadBalancerController,
        guestVolumeController,
      ]) {
        this.runtime.register(controller(this.world));
      }
      registerWorkloadControllers(this.runtime, this.world);
      registerServiceControllers(this.runtime, this.world);
      registerVolumeControllers(this.runtime, this.world);
      this.scheduleBookmarks();
      if (!this.store.getMeta('seed')) this.store.setMeta('seed', seed);
      if (!this.api.hasApiSpace(SUPERVISOR)) this.api.addApiSpace(SUPERVISOR, 'supervisor');
      if (!this.api.hasApiSpace(VCENTER)) {
        this.api.addApiSpace(VCENTER, 'vcenter');
        if (o.scenario) {
          loadScenario(this.world.vc, o.scenario);
          this.store.setMeta('scenario', o.scenario.name);
        }
      }
      this.store.flush();
    } catch (err) {
      this.store.close();
      throw err;
    }
  }

  static open(o: LabOptions): Lab {
    return new Lab(o);
  }

  settle(): number {
    return this.runtime.settle();
  }

  /** Steps lab time forward (stepped clock), reconciling along the way. */
  advance(ms: number): number {
    const n = this.runtime.advance(ms);
    this.saveState();
    return n;
  }

  /** Persists lab time and the random state, then commits. */
  saveState(): void {
    this.store.setMeta('clockMs', String(this.clock.nowMs()));
    this.store.setMeta('randomState', this.random.state());
    this.store.flush();
  }

  /** Saves the state of every object (not the workspace) as a named snapshot; returns the object count. */
  snapshot(name: string): number {
    this.saveState();
    return this.store.snapshots.save(name, this.clock.nowMs());
  }

  /**
   * Puts every object back as a snapshot holds it. Lab time carries on (it never runs backwards), the
   * workspace stays, and so do SSO sessions: whoever is logged in stays logged in.
   */
  restore(name: string): { labTime: number; created: number; updated: number; deleted: number } | undefined {
    const snap = this.store.snapshots.read(name);
    if (!snap) return undefined;
    const counts = this.api.replaceState(snap.spaces, snap.objects, keepThroughRestore);
    this.settle();
    this.saveState();
    return { labTime: snap.labTime, ...counts };
  }

  /** Starts the environment over from a scenario (the lab's own for a reset), as restore does. */
  reset(scenario: Scenario): { created: number; updated: number; deleted: number } {
    const fresh = new Lab({
      path: ':memory:',
      seed: this.store.getMeta('seed'),
      start: this.clock.nowMs(),
      scenario,
      nativeBinding: this.nativeBinding,
    });
    try {
      fresh.settle();
      const counts = this.api.replaceState(
        fresh.store.apiSpaces(),
        fresh.store.allObjects(),
        keepThroughRestore,
      );
      this.store.setMeta('scenario', scenario.name);
      this.settle();
      this.saveState();
      return counts;
    } finally {
      fresh.close();
    }
  }

  private scheduleBookmarks(): void {
    this.clock.after(BOOKMARK_INTERVAL_MS, () => {
      this.api.hub.bookmark();
      this.scheduleBookmarks();
    });
  }

  close(): void {
    if (!this.store.db.open) return;
    this.saveState();
    this.api.dispose();
    this.store.close();
  }
}
