// The topology's probe, for the UI benchmark and the end-to-end tests: frame times of the painter,
// a way to paint a model of any size in the real canvas, and where a VM is drawn. It reads what the
// view drew; it changes nothing the learner sees.
import { Topology as TopologySchema } from '../../../preload/contract';
import { layout, paint, syntheticTopology, type Layout, type Palette } from './topologyLayout';

export interface Timing {
  frames: number[];
  layoutMs: number;
}
declare global {
  interface Window {
    /** frame times of the topology painter, read by the UI benchmark */
    __supervisorLabTopology?: Timing & {
      /** paints a synthetic model of this size in the real canvas, scrolling through it; frame times in ms */
      bench(
        hosts: number,
        vms: number,
        pods: number,
        frames: number,
      ): { firstMs: number; frames: number[]; updates: number[]; validateMs: number };
      /** a model as the engine sends it (JSON): checked, laid out and painted, then scrolled through */
      render(json: string): { firstMs: number; frames: number[] };
      /** where a VM is drawn, in page coordinates (scrolled into view), and on which host */
      locate(vm: string): { x: number; y: number; host: string } | undefined;
      /** the VM holding the Supervisor's floating IP, as drawn */
      floating(): { vm: string; host: string } | undefined;
    };
  }
}

export function installProbe(o: {
  canvas: { current: HTMLCanvasElement | null };
  scroller: { current: HTMLDivElement | null };
  lay: { current: Layout | undefined };
  timing: Timing;
  palette: Palette;
  schedule(): void;
}): void {
  window.__supervisorLabTopology = Object.assign(o.timing, {
    bench: (hosts: number, vms: number, pods: number, n: number) => {
      const c = o.canvas.current!;
      const s = o.scroller.current!;
      const model = syntheticTopology(hosts, vms, pods);
      const t0 = performance.now();
      const l = layout(model, s.clientWidth);
      const ctx = c.getContext('2d')!;
      const view = { top: 0, width: s.clientWidth, height: s.clientHeight };
      paint(ctx, l, view, o.palette);
      const firstMs = performance.now() - t0;
      const frames: number[] = [];
      for (let i = 0; i < n; i++) {
        const f0 = performance.now();
        view.top = (i * 97) % Math.max(1, l.height - view.height);
        paint(ctx, l, view, o.palette);
        // reading a pixel waits for the canvas to finish drawing, so the time is the real cost
        ctx.getImageData(0, 0, 1, 1);
        frames.push(performance.now() - f0);
      }
      // a model update as it arrives: checked against the contract, laid out again, painted
      const updates: number[] = [];
      const wire = JSON.stringify(model);
      const v0 = performance.now();
      TopologySchema.parse(JSON.parse(wire));
      const validateMs = performance.now() - v0;
      for (let i = 0; i < 20; i++) {
        const u0 = performance.now();
        const next = {
          ...model,
          hosts: model.hosts.map((h, k) => (k === i % hosts ? { ...h, state: 'failed' as const } : h)),
        };
        const l2 = layout(next, s.clientWidth);
        paint(ctx, l2, view, o.palette);
        ctx.getImageData(0, 0, 1, 1);
        updates.push(performance.now() - u0);
      }
      o.schedule();
      return { firstMs, frames, updates, validateMs };
    },
    render: (json: string) => {
      const c = o.canvas.current!;
      const s = o.scroller.current!;
      const ctx = c.getContext('2d')!;
      const t0 = performance.now();
      const model = TopologySchema.parse(JSON.parse(json));
      const l = layout(model, s.clientWidth);
      const view = { top: 0, width: s.clientWidth, height: s.clientHeight };
      paint(ctx, l, view, o.palette);
      ctx.getImageData(0, 0, 1, 1);
      const firstMs = performance.now() - t0;
      const frames: number[] = [];
      for (let i = 0; i < 120; i++) {
        const f0 = performance.now();
        view.top = (i * 97) % Math.max(1, l.height - view.height);
        paint(ctx, l, view, o.palette);
        ctx.getImageData(0, 0, 1, 1);
        frames.push(performance.now() - f0);
      }
      o.schedule();
      return { firstMs, frames };
    },
    locate: (name: string) => {
      const s = o.scroller.current!;
      for (const card of o.lay.current?.cards ?? [])
        for (const v of card.vms)
          if (v.vm.name === name) {
            if (v.y < s.scrollTop || v.y + v.h > s.scrollTop + s.clientHeight) s.scrollTop = v.y - 20;
            const r = s.getBoundingClientRect();
            return {
              x: r.left + v.x + v.w / 2,
              y: r.top + v.y - s.scrollTop + v.h / 2,
              host: card.host.name,
            };
          }
      return undefined;
    },
    floating: () => {
      for (const card of o.lay.current?.cards ?? [])
        for (const v of card.vms) if (v.vm.floatingIP) return { vm: v.vm.name, host: card.host.name };
      return undefined;
    },
  });
}
