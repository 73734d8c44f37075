// The live topology on a canvas: host cards with CPU and memory bars and their state, VMs by role
// (control plane marked, floating-IP badge), vSphere Pods as CRX tiles, guest pods inside TKC node VMs.
// A VM that moves between hosts glides to its new place. Filter by namespace or TKC; click to describe;
// right-click a host for faults and maintenance.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CommandResult, Topology as Model } from '../../../preload/contract';
import { call } from '../lib/bridge';
import { useT } from '../lib/i18n';
import { hitTest, layout, paint, type Filter, type Layout, type Rect } from '../lib/topologyLayout';
import { palettes } from '../lib/topologyPalettes';
import { installProbe, type Timing } from '../lib/topologyProbe';

const MOVE_MS = 700;

export type Selection =
  | { kind: 'host' | 'vm' | 'tkc' | 'namespace'; name: string; namespace?: string }
  | { kind: 'pod'; name: string; namespace: string }
  | { kind: 'result'; result: CommandResult };

export function Topology(props: { model?: Model; theme: 'dark' | 'light'; onSelect(s: Selection): void }) {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [filter, setFilter] = useState<Filter>({ kind: 'all' });
  const [width, setWidth] = useState(800);
  const [viewH, setViewH] = useState(600);
  const [menu, setMenu] = useState<{ x: number; y: number; host: string; state: string }>();
  const [selected, setSelected] = useState<string>();
  const [frameMs, setFrameMs] = useState<number>();
  const [counts, setCounts] = useState<Layout['counts']>();
  const [height, setHeight] = useState(0);
  const lay = useRef<Layout | undefined>(undefined);
  const moves = useRef(new Map<string, { from: Rect; start: number }>());
  const timing = useRef<Timing>({ frames: [], layoutMs: 0 });
  const raf = useRef(0);

  const options = useMemo(() => {
    const ns = new Set<string>();
    const tkcs = new Set<string>();
    for (const h of props.model?.hosts ?? []) {
      for (const vm of h.vms) {
        if (vm.namespace) ns.add(vm.namespace);
        if (vm.tkc) tkcs.add(`${vm.namespace}/${vm.tkc}`);
      }
      for (const p of h.pods) ns.add(p.namespace);
    }
    return { ns: [...ns].sort(), tkcs: [...tkcs].sort() };
  }, [props.model]);

  const draw = () => {
    raf.current = 0;
    const c = canvas.current;
    const s = scroller.current;
    const l = lay.current;
    if (!c || !s || !l) return;
    const start = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const w = s.clientWidth;
    const h = s.clientHeight;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
      c.style.width = `${w}px`;
      c.style.height = `${h}px`;
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const now = performance.now();
    let animating = false;
    paint(ctx, l, { top: s.scrollTop, width: w, height: h }, palettes[props.theme], {
      selected,
      move: (box) => {
        const m = moves.current.get(box.vm.name);
        if (!m) return box;
        const k = Math.min(1, (now - m.start) / MOVE_MS);
        if (k >= 1) {
          moves.current.delete(box.vm.name);
          return box;
        }
        animating = true;
        const e = 1 - (1 - k) * (1 - k);
        return {
          x: m.from.x + (box.x - m.from.x) * e,
          y: m.from.y + (box.y - m.from.y) * e,
          w: box.w,
          h: box.h,
        };
      },
    });
    const ms = performance.now() - start;
    const frames = timing.current.frames;
    frames.push(ms);
    if (frames.length > 240) frames.shift();
    setFrameMs(ms);
    if (animating) schedule();
  };
  const schedule = () => {
    if (!raf.current) raf.current = requestAnimationFrame(draw);
  };

  // a new model or filter or width: lay out again; VMs that changed host start to glide
  useEffect(() => {
    if (!props.model) return;
    const start = performance.now();
    const prev = new Map<string, { host: string; rect: Rect }>();
    for (const card of lay.current?.cards ?? [])
      for (const v of card.vms) prev.set(v.vm.name, { host: v.host, rect: v });
    const next = layout(props.model, width, filter);
    timing.current.layoutMs = performance.now() - start;
    for (const card of next.cards)
      for (const v of card.vms) {
        const p = prev.get(v.vm.name);
        if (p && p.host !== v.host) moves.current.set(v.vm.name, { from: p.rect, start: performance.now() });
      }
    lay.current = next;
    setCounts(next.counts);
    setHeight(next.height);
    schedule();
  }, [props.model, width, filter]);

  useEffect(() => schedule(), [props.theme, selected]);

  useEffect(() => {
    const s = scroller.current;
    if (!s) return;
    const ro = new ResizeObserver(() => {
      setWidth(s.clientWidth);
      setViewH(s.clientHeight);
      schedule();
    });
    ro.observe(s);
    return () => ro.disconnect();
  }, []);

  useEffect(() =>
    installProbe({ canvas, scroller, lay, timing: timing.current, palette: palettes[props.theme], schedule }),
  );

  const at = (e: React.MouseEvent) => {
    const s = scroller.current!;
    const r = s.getBoundingClientRect();
    return lay.current
      ? hitTest(lay.current, e.clientX - r.left, e.clientY - r.top + s.scrollTop)
      : undefined;
  };

  const onClick = (e: React.MouseEvent) => {
    setMenu(undefined);
    const hit = at(e);
    if (!hit) return;
    if (hit.kind === 'host') props.onSelect({ kind: 'host', name: hit.host.name });
    else if (hit.kind === 'vm') {
      setSelected(hit.vm.name);
      props.onSelect({ kind: 'vm', name: hit.vm.name });
    } else props.onSelect({ kind: 'pod', name: hit.pod.name, namespace: hit.pod.namespace });
  };

  const onContextMenu = (e: React.MouseEvent) => {
    e.preventDefault();
    const hit = at(e);
    const host = hit?.kind === 'host' ? hit.host.name : hit?.host;
    if (!host) return setMenu(undefined);
    const state = props.model?.hosts.find((h) => h.name === host)?.state ?? 'connected';
    const r = scroller.current!.getBoundingClientRect();
    setMenu({ x: e.clientX - r.left, y: e.clientY - r.top, host, state });
  };

  const hostAction = (action: 'fail' | 'recover' | 'maintenance-enter' | 'maintenance-exit') => {
    if (!menu) return;
    const host = menu.host;
    setMenu(undefined);
    void call('lab.host', { host, action }).then((result) => props.onSelect({ kind: 'result', result }));
  };

  const filterValue =
    filter.kind === 'all'
      ? ''
      : filter.kind === 'namespace'
        ? `ns:${filter.name}`
        : `tkc:${filter.namespace}/${filter.name}`;
  return (
    <div className="topology">
      <div className="toolbar">
        <label>
          {t('topology.filter')}{' '}
          <select
            data-testid="topology-filter"
            value={filterValue}
            onChange={(e) => {
              const v = e.target.value;
              if (v.startsWith('ns:')) setFilter({ kind: 'namespace', name: v.slice(3) });
              else if (v.startsWith('tkc:')) {
                const [namespace, name] = v.slice(4).split('/') as [string, string];
                setFilter({ kind: 'tkc', namespace, name });
              } else setFilter({ kind: 'all' });
            }}
          >
            <option value="">{t('topology.all')}</option>
            {options.ns.map((n) => (
              <option key={n} value={`ns:${n}`}>
                {t('topology.namespace', { name: n })}
              </option>
            ))}
            {options.tkcs.map((k) => (
              <option key={k} value={`tkc:${k}`}>
                {t('topology.tkc', { name: k })}
              </option>
            ))}
          </select>
        </label>
        {counts && (
          <span className="muted" data-testid="topology-counts">
            {t('topology.hosts', { count: counts.hosts })} · {t('topology.vms', { count: counts.vms })} ·{' '}
            {t('topology.pods', { count: counts.pods })}
          </span>
        )}
        {props.model?.supervisor?.floatingIP && (
          <span className="muted" data-testid="topology-fip">
            {t('topology.legend.fip')}: {props.model.supervisor.floatingIP}
          </span>
        )}
        <span className="spacer" />
        <span className="legend">
          <i style={{ background: palettes[props.theme].supervisorCp }} /> {t('topology.legend.cp')}
          <i style={{ background: palettes[props.theme].tkcCp }} /> {t('topology.legend.tkcCp')}
          <i style={{ background: palettes[props.theme].worker }} /> {t('topology.legend.worker')}
          <i style={{ background: palettes[props.theme].vm }} /> {t('topology.legend.vm')}
          <i style={{ background: palettes[props.theme].podRunning }} /> {t('topology.legend.pod')}
        </span>
        {frameMs !== undefined && (
          <span className="muted">{t('topology.frame', { ms: frameMs.toFixed(1) })}</span>
        )}
      </div>
      <div
        className="topology-scroll"
        ref={scroller}
        onScroll={schedule}
        onClick={onClick}
        onContextMenu={onContextMenu}
        data-testid="topology"
      >
        <canvas ref={canvas} className="topology-canvas" />
        <div style={{ height: Math.max(0, height - viewH), width: 1 }} />
        {props.model && props.model.hosts.length === 0 && <p className="hint">{t('topology.empty')}</p>}
        {menu && (
          <ul
            className="context-menu"
            role="menu"
            style={{ left: menu.x, top: menu.y + (scroller.current?.scrollTop ?? 0) }}
            data-testid="host-menu"
          >
            <li
              role="menuitem"
              onClick={(e) => (
                e.stopPropagation(),
                props.onSelect({ kind: 'host', name: menu.host }),
                setMenu(undefined)
              )}
            >
              {t('host.describe')}
            </li>
            {menu.state !== 'failed' && (
              <li role="menuitem" onClick={(e) => (e.stopPropagation(), hostAction('fail'))}>
                {t('host.fail')}
              </li>
            )}
            {menu.state === 'failed' && (
              <li role="menuitem" onClick={(e) => (e.stopPropagation(), hostAction('recover'))}>
                {t('host.recover')}
              </li>
            )}
            {menu.state === 'connected' && (
              <li role="menuitem" onClick={(e) => (e.stopPropagation(), hostAction('maintenance-enter'))}>
                {t('host.maintenanceEnter')}
              </li>
            )}
            {menu.state === 'maintenance' && (
              <li role="menuitem" onClick={(e) => (e.stopPropagation(), hostAction('maintenance-exit'))}>
                {t('host.maintenanceExit')}
              </li>
            )}
          </ul>
        )}
      </div>
    </div>
  );
}
