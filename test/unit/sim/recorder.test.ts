import { afterEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../../main/sim/vcenter/recorder';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab } from '../../helpers/lab';
import { defaultScenario, runningSupervisor } from '../../helpers/scenario';

let lab: Lab | undefined;
afterEach(() => lab?.close());

describe('events', () => {
  it('are named <object>.<ns hex> as client-go names them, so they list in the order they happened; a repeat counts up', () => {
    lab = newLab({ scenario: defaultScenario() });
    runningSupervisor(lab);
    const k = adminClient(lab);
    const cm = k.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default' },
    });
    const reasons = ['Pulling', 'Pulled', 'Created', 'Started'];
    for (const r of reasons) lab.world.recorder.event(k, cm, 'Normal', r, `${r} it`, 'kubelet');
    lab.world.recorder.event(k, cm, 'Normal', 'Pulling', 'Pulling it', 'kubelet');
    const events = k
      .list('events', { namespace: 'default' })
      .items.filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'cfg');
    for (const e of events) expect(e.metadata.name).toMatch(/^cfg\.[0-9a-f]{15,16}$/);
    // listed by name: the order they were first recorded in
    expect(events.map((e) => (e as { reason?: string }).reason)).toEqual(reasons);
    expect(events.map((e) => (e as { count?: number }).count)).toEqual([2, 1, 1, 1]);
    // two recorders starting afresh at one instant (a lab reopened): the second takes the next free name
    const first = new Recorder(lab.clock, lab.random);
    const second = new Recorder(lab.clock, lab.random);
    first.event(k, cm, 'Normal', 'Killing', 'Stopping it', 'kubelet');
    second.event(k, cm, 'Normal', 'Killing', 'Stopping it again', 'kubelet');
    const killing = k
      .list('events', { namespace: 'default' })
      .items.filter((e) => (e as { reason?: string }).reason === 'Killing')
      .map((e) => e.metadata.name!);
    expect(killing).toHaveLength(2);
    expect(BigInt(`0x${killing[1]!.split('.')[1]}`) - BigInt(`0x${killing[0]!.split('.')[1]}`)).toBe(1n);
  });
});
