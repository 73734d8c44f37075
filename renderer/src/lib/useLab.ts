// Hooks over the contract: engine events, a "lab changed" tick (throttled) that views refetch on,
// and data that reloads on it.
import { useEffect, useRef, useState } from 'react';
import type { EngineEvent, Method, Input, Output } from '../../../preload/contract';
import { bridge, call } from './bridge';

export function useEngineEvent(listener: (e: EngineEvent) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => bridge().onEvent((e) => ref.current(e)), []);
}

/**
 * A counter that moves when the lab changes, at most every `ms`. With `objects`, only when objects
 * change or the signed-in user does — not when only lab time moves (views of objects need nothing new).
 */
export function useLabTick(ms = 300, what: 'any' | 'objects' = 'any'): number {
  const [tick, setTick] = useState(0);
  const timer = useRef<number | undefined>(undefined);
  const dirty = useRef(false);
  const seen = useRef('');
  useEngineEvent((e) => {
    if (e.type !== 'lab.changed') return;
    if (what === 'objects') {
      const key = `${e.rv}/${e.session}`;
      if (key === seen.current) return;
      seen.current = key;
    }
    if (timer.current !== undefined) {
      dirty.current = true;
      return;
    }
    setTick((t) => t + 1);
    timer.current = window.setTimeout(function again() {
      if (dirty.current) {
        dirty.current = false;
        setTick((t) => t + 1);
        timer.current = window.setTimeout(again, ms);
      } else timer.current = undefined;
    }, ms);
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return tick;
}

/** The answer of a method, fetched again whenever `tick` moves (and while `enabled`). */
export function useQuery<M extends Method>(
  method: M,
  input: Input<M>,
  tick: number,
  enabled = true,
): { data?: Output<M>; error?: string } {
  const [state, setState] = useState<{ data?: Output<M>; error?: string }>({});
  const key = JSON.stringify(input);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    call(method, JSON.parse(key) as Input<M>).then(
      (data) => live && setState({ data }),
      (e: unknown) => live && setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e) })),
    );
    return () => {
      live = false;
    };
  }, [method, key, tick, enabled]);
  return state;
}
