// The topology drawing: a pure layout of the topology model into host cards (VM tiles, CRX tiles for
// vSphere Pods, guest pods as dots inside TKC node VMs), a canvas painter that draws only the cards in
// view, and hit testing. Measured in the big scenario (64 hosts, 1,000 VMs, 10,000 pods): the layout is
// computed once per model and a frame paints only what is visible, so a frame stays in a few ms.
import type { Topology, TopologyHost, TopologyPod, TopologyVm } from '../../../preload/contract';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface VmBox extends Rect {
  vm: TopologyVm;
  host: string;
}
export interface PodBox extends Rect {
  pod: TopologyPod;
  host: string;
}
export interface HostCard extends Rect {
  host: TopologyHost;
  vms: VmBox[];
  pods: PodBox[];
}
export interface Layout {
  cards: HostCard[];
  width: number;
  height: number;
  counts: { hosts: number; vms: number; pods: number };
}

export type Filter =
  { kind: 'all' } | { kind: 'namespace'; name: string } | { kind: 'tkc'; namespace: string; name: string };

export const CARD_W = 280;
const GAP = 12;
const HEADER = 58;
const VM_W = 84;
const VM_H = 34;
const POD = 7;
const POD_GAP = 2;

const vmShown = (vm: TopologyVm, f: Filter) =>
  f.kind === 'all' ||
  (f.kind === 'namespace' && vm.namespace === f.name) ||
  (f.kind === 'tkc' && vm.namespace === f.namespace && vm.tkc === f.name);
const podShown = (p: TopologyPod, f: Filter) =>
  f.kind === 'all' || (f.kind === 'namespace' && p.namespace === f.name);

export function layout(t: Topology, width: number, filter: Filter = { kind: 'all' }): Layout {
  const columns = Math.max(1, Math.floor((width - GAP) / (CARD_W + GAP)));
  const cards: HostCard[] = [];
  const colY = new Array<number>(columns).fill(GAP);
  let vmsCount = 0;
  let podsCount = 0;
  for (const host of t.hosts) {
    const col = colY.indexOf(Math.min(...colY));
    const x = GAP + col * (CARD_W + GAP);
    const y = colY[col]!;
    const inner = CARD_W - 16;
    const perRow = Math.max(1, Math.floor((inner + 6) / (VM_W + 6)));
    const vms = host.vms.filter((v) => vmShown(v, filter));
    const vmBoxes: VmBox[] = vms.map((vm, i) => ({
      vm,
      host: host.name,
      x: x + 8 + (i % perRow) * (VM_W + 6),
      y: y + HEADER + Math.floor(i / perRow) * (VM_H + 6),
      w: VM_W,
      h: VM_H,
    }));
    const vmRows = Math.ceil(vms.length / perRow);
    const podTop = y + HEADER + vmRows * (VM_H + 6) + (vms.length ? 4 : 0);
    const podsPerRow = Math.floor((inner + POD_GAP) / (POD + POD_GAP));
    const pods = host.pods.filter((p) => podShown(p, filter));
    const podBoxes: PodBox[] = pods.map((pod, i) => ({
      pod,
      host: host.name,
      x: x + 8 + (i % podsPerRow) * (POD + POD_GAP),
      y: podTop + Math.floor(i / podsPerRow) * (POD + POD_GAP),
      w: POD,
      h: POD,
    }));
    const podRows = Math.ceil(pods.length / podsPerRow);
    const h = podTop - y + podRows * (POD + POD_GAP) + 10;
    cards.push({ host, x, y, w: CARD_W, h, vms: vmBoxes, pods: podBoxes });
    colY[col] = y + h + GAP;
    vmsCount += vms.length;
    podsCount += pods.length;
  }
  return {
    cards,
    width: GAP + columns * (CARD_W + GAP),
    height: Math.max(...colY),
    counts: { hosts: t.hosts.length, vms: vmsCount, pods: podsCount },
  };
}

export interface Palette {
  bg: string;
  card: string;
  border: string;
  text: string;
  muted: string;
  failed: string;
  maintenance: string;
  cpu: string;
  mem: string;
  barBg: string;
  supervisorCp: string;
  tkcCp: string;
  worker: string;
  vm: string;
  podRunning: string;
  podPending: string;
  podFailed: string;
  fip: string;
  selected: string;
}

const podColor = (p: TopologyPod, c: Palette) =>
  p.phase === 'Running' || p.phase === 'Succeeded'
    ? c.podRunning
    : p.phase === 'Pending'
      ? c.podPending
      : c.podFailed;

const roleColor = (vm: TopologyVm, c: Palette) =>
  vm.role === 'supervisor-control-plane'
    ? c.supervisorCp
    : vm.role === 'tkc-control-plane'
      ? c.tkcCp
      : vm.role === 'tkc-worker'
        ? c.worker
        : c.vm;

function bar(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  frac: number,
  color: string,
  bg: string,
) {
  ctx.fillStyle = bg;
  ctx.fillRect(x, y, w, 5);
  ctx.fillStyle = color;
  ctx.fillRect(x, y, Math.max(0, Math.min(1, frac)) * w, 5);
}

/** Where a VM is drawn this frame: its box, or a point on its way from the host it left. */
export type Mover = (box: VmBox) => Rect;

/** Paints the cards that meet the view (scrollTop .. scrollTop + height). */
export function paint(
  ctx: CanvasRenderingContext2D,
  l: Layout,
  view: { top: number; width: number; height: number },
  c: Palette,
  o: { selected?: string; move?: Mover } = {},
): void {
  ctx.fillStyle = c.bg;
  ctx.fillRect(0, 0, view.width, view.height);
  ctx.save();
  ctx.translate(0, -view.top);
  ctx.textBaseline = 'middle';
  const bottom = view.top + view.height;
  for (const card of l.cards) {
    if (card.y > bottom || card.y + card.h < view.top) continue;
    const h = card.host;
    ctx.fillStyle = c.card;
    ctx.fillRect(card.x, card.y, card.w, card.h);
    ctx.lineWidth = h.state === 'connected' ? 1 : 3;
    ctx.strokeStyle = h.state === 'failed' ? c.failed : h.state === 'maintenance' ? c.maintenance : c.border;
    ctx.strokeRect(card.x + 0.5, card.y + 0.5, card.w - 1, card.h - 1);
    ctx.fillStyle = c.text;
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.fillText(h.name, card.x + 8, card.y + 12);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = h.state === 'failed' ? c.failed : h.state === 'maintenance' ? c.maintenance : c.muted;
    const state = h.state + (h.spherelet ? ' · spherelet' : '');
    ctx.fillText(state, card.x + card.w - 8 - ctx.measureText(state).width, card.y + 12);
    ctx.fillStyle = c.muted;
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillText('CPU', card.x + 8, card.y + 28);
    ctx.fillText('MEM', card.x + 8, card.y + 42);
    const cpu = h.cpuMHz.capacity ? h.cpuMHz.used / h.cpuMHz.capacity : 0;
    const mem = h.memoryMB.capacity ? h.memoryMB.used / h.memoryMB.capacity : 0;
    bar(ctx, card.x + 36, card.y + 26, card.w - 90, cpu, c.cpu, c.barBg);
    bar(ctx, card.x + 36, card.y + 40, card.w - 90, mem, c.mem, c.barBg);
    ctx.fillText(`${Math.round(cpu * 100)}%`, card.x + card.w - 48, card.y + 28);
    ctx.fillText(`${Math.round(mem * 100)}%`, card.x + card.w - 48, card.y + 42);
    for (const p of card.pods) {
      ctx.fillStyle = podColor(p.pod, c);
      ctx.fillRect(p.x, p.y, p.w, p.h);
    }
    for (const box of card.vms)
      drawVm(ctx, o.move ? o.move(box) : box, box.vm, c, o.selected === box.vm.name);
  }
  ctx.restore();
}

function drawVm(ctx: CanvasRenderingContext2D, r: Rect, vm: TopologyVm, c: Palette, selected: boolean) {
  const off = vm.powerState !== 'poweredOn';
  ctx.globalAlpha = off ? 0.45 : 1;
  ctx.fillStyle = roleColor(vm, c);
  ctx.fillRect(r.x, r.y, r.w, r.h);
  if (selected) {
    ctx.strokeStyle = c.selected;
    ctx.lineWidth = 2;
    ctx.strokeRect(r.x - 1, r.y - 1, r.w + 2, r.h + 2);
  }
  ctx.fillStyle = '#fff';
  ctx.font = '10px system-ui, sans-serif';
  const label = vm.name.length > 14 ? `${vm.name.slice(0, 6)}…${vm.name.slice(-6)}` : vm.name;
  ctx.fillText(label, r.x + 4, r.y + 9);
  if (vm.role === 'supervisor-control-plane' || vm.role === 'tkc-control-plane') {
    ctx.font = '600 9px system-ui, sans-serif';
    ctx.fillText('CP', r.x + 4, r.y + 21);
  }
  if (vm.floatingIP) {
    ctx.fillStyle = c.fip;
    ctx.fillRect(r.x + r.w - 26, r.y + 15, 24, 11);
    ctx.fillStyle = '#000';
    ctx.font = '600 8px system-ui, sans-serif';
    ctx.fillText('FIP', r.x + r.w - 22, r.y + 21);
  }
  // guest pods inside a TKC node VM
  for (let i = 0; i < vm.pods.length && i < 24; i++) {
    const p = vm.pods[i]!;
    // light dots on the VM's colour: running guest pods white, others in their phase colour
    ctx.fillStyle = p.phase === 'Running' || p.phase === 'Succeeded' ? '#ffffff' : podColor(p, c);
    ctx.fillRect(r.x + 20 + (i % 12) * 4, r.y + 18 + Math.floor(i / 12) * 5, 3, 3);
  }
  ctx.globalAlpha = 1;
}

const inside = (r: Rect, x: number, y: number) => x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h;

export type Hit =
  | { kind: 'host'; host: TopologyHost }
  | { kind: 'vm'; vm: TopologyVm; host: string }
  | { kind: 'pod'; pod: TopologyPod; host: string };

/** What is under a point (in layout coordinates). */
export function hitTest(l: Layout, x: number, y: number): Hit | undefined {
  for (const card of l.cards) {
    if (!inside(card, x, y)) continue;
    for (const v of card.vms) if (inside(v, x, y)) return { kind: 'vm', vm: v.vm, host: card.host.name };
    for (const p of card.pods) if (inside(p, x, y)) return { kind: 'pod', pod: p.pod, host: card.host.name };
    return { kind: 'host', host: card.host };
  }
  return undefined;
}

/** A big synthetic model (hosts × VMs × pods), for measuring the painter. */
export function syntheticTopology(hosts: number, vms: number, pods: number): Topology {
  const roles: TopologyVm['role'][] = ['tkc-worker', 'tkc-worker', 'vm', 'tkc-control-plane'];
  return {
    clock: new Date(0).toISOString(),
    supervisor: null,
    hosts: Array.from({ length: hosts }, (_, h) => ({
      name: `esxi-${String(h + 1).padStart(2, '0')}.lab.local`,
      state: 'connected' as const,
      spherelet: true,
      cpuMHz: { capacity: 76800, used: 20000 + ((h * 997) % 40000) },
      memoryMB: { capacity: 524288, used: 100000 + ((h * 7919) % 300000) },
      vms: Array.from({ length: Math.floor(vms / hosts) + (h < vms % hosts ? 1 : 0) }, (_, i) => ({
        name: `vm-${h}-${i}`,
        role: h === 0 && i === 0 ? 'supervisor-control-plane' : roles[i % roles.length]!,
        namespace: `ns-${i % 8}`,
        powerState: 'poweredOn',
        ips: [],
        floatingIP: h === 0 && i === 0,
        pods: [],
      })),
      pods: Array.from({ length: Math.floor(pods / hosts) + (h < pods % hosts ? 1 : 0) }, (_, i) => ({
        namespace: `ns-${i % 8}`,
        name: `pod-${h}-${i}`,
        phase: i % 17 === 0 ? 'Pending' : 'Running',
      })),
    })),
  };
}
