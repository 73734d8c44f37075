// What every controller of the simulated world is given: typed clients of the API spaces, the lab clock,
// the seeded random source and the recorder of tasks and events.
import { ApiClient } from '../api/client';
import type { ApiServer } from '../api/server';
import { systemUser } from '../api/types';
import type { LabClock } from './runtime/clock';
import type { SeededRandom } from './runtime/random';
import { Recorder } from './vcenter/recorder';
import { VCENTER } from './vcenter/kinds';

export class World {
  readonly vc: ApiClient;
  readonly recorder: Recorder;
  private readonly clients = new Map<string, ApiClient>();

  constructor(
    readonly api: ApiServer,
    readonly clock: LabClock,
    readonly random: SeededRandom,
  ) {
    this.vc = new ApiClient(api, systemUser, VCENTER);
    this.recorder = new Recorder(clock, random);
  }

  /** The system's client of a Kubernetes API space (the Supervisor, a guest cluster). */
  k8s(space: string): ApiClient {
    let c = this.clients.get(space);
    if (!c) this.clients.set(space, (c = new ApiClient(this.api, systemUser, space)));
    return c;
  }

  now(): number {
    return this.clock.nowMs();
  }
}
