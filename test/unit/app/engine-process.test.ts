// The channel between Electron's main process and the engine's utility process, with the two ends
// joined in memory: calls reach the AppEngine and answer, bad input is refused there, events flow back,
// quit reaches the engine, and a stopped engine fails what was waiting.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../preload/contract';
import { AppEngine } from '../../../main/host/app/engine';
import {
  engineClient,
  serveEngine,
  type EngineProcessLike,
  type FromEngine,
  type ParentPortLike,
  type ToEngine,
} from '../../../main/host/electron/engineChannel';
import type { Lab } from '../../../main/sim/lab';
import { newLab } from '../../helpers/lab';
import { defaultScenario } from '../../helpers/scenario';

let lab: Lab | undefined;
afterEach(() => lab?.close());

function joined() {
  const toChild = new EventEmitter();
  const toParent = new EventEmitter();
  const child: EngineProcessLike = {
    postMessage: (m: ToEngine) => queueMicrotask(() => toChild.emit('message', { data: structuredClone(m) })),
    on: (event: string, l: (arg: never) => void) => toParent.on(event, l as (arg: unknown) => void),
  };
  const port: ParentPortLike = {
    postMessage: (m: FromEngine) => queueMicrotask(() => toParent.emit('message', structuredClone(m))),
    on: (_event: 'message', l: (e: { data: ToEngine }) => void) => toChild.on('message', l),
  };
  return { child, port, exit: (code: number) => toParent.emit('exit', code) };
}

describe('the engine in its own process', () => {
  it('serves the contract across the channel, and events come back', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const { child, port } = joined();
    let quit = false;
    const client = engineClient(child);
    serveEngine(port, new AppEngine({ lab, labPath: ':memory:', version: '1' }), () => (quit = true));
    await client.ready;
    const events: EngineEvent[] = [];
    client.onEvent((e) => events.push(e));
    const t = (await client.call('terminal.open', { cols: 80 })) as { id: string; scrollback: string };
    expect(t.scrollback).toContain('administrator@vsphere.local (127.0.0.1) ~ $ ');
    await client.call('terminal.input', { id: t.id, data: 'lab status\r' });
    await new Promise((r) => setTimeout(r, 30));
    expect(
      events.some(
        (e) => e.type === 'terminal.output' && e.data.includes('Workload Management is not enabled'),
      ),
    ).toBe(true);
    await expect(client.call('terminal.input', { id: t.id })).rejects.toThrow(/data/);
    client.quit();
    await new Promise((r) => setTimeout(r, 10));
    expect(quit).toBe(true);
  });

  it('fails waiting calls when the engine stops', async () => {
    const { child, exit } = joined();
    const client = engineClient(child);
    const call = client.call('info', {});
    exit(3);
    await expect(call).rejects.toThrow('the lab engine stopped (exit code 3)');
    await expect(client.ready).rejects.toThrow(/stopped/);
  });
});
