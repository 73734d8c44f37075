// The labs engine itself: the format's validation, each kind of check, progress kept in the lab
// database (and resumed after reopening), automatic checking, and the CLI's answers.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../main/host/cli';
import { shippedScenarios } from '../../../main/host/scenarios';
import { LabCatalogue, Labs } from '../../../main/labs';
import { evaluateCheck, parseHistory } from '../../../main/labs/checks';
import { labsCommand } from '../../../main/labs/cli';
import type { CheckDef } from '../../../main/labs/format';
import { LabFormatError } from '../../../main/labs/format';
import { Lab } from '../../../main/sim/lab';
import { defaultScenario } from '../../helpers/scenario';
import { learner, shippedLabs, type Learner } from './harness';

let l: Learner | undefined;
const dirs: string[] = [];
afterEach(() => {
  l?.lab.close();
  l = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'labs-'));
  dirs.push(d);
  return d;
};

/** A catalogue of one lab written on the spot. */
function oneLab(yaml: string, md = '# T\n\nIntro.\n\n## First\n\nDo it.\n'): string {
  const root = tmp();
  mkdirSync(join(root, 'x-lab'));
  writeFileSync(join(root, 'x-lab', 'lab.yaml'), yaml);
  writeFileSync(join(root, 'x-lab', 'lab.md'), md);
  return root;
}

const manifest = (check: string) => `id: x-lab
order: 1
title: T
level: beginner
minutes: 5
summary: S
start: { scenario: default }
steps:
  - id: first
    solution: echo hi
    checks:
${check
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
`;

describe('the lab format', () => {
  it('loads the shipped labs in order, with their prose split into steps', () => {
    const c = shippedLabs();
    expect(c.labs.length).toBeGreaterThanOrEqual(8);
    expect(c.labs.map((x) => x.order)).toEqual([...c.labs.map((x) => x.order)].sort((a, b) => a - b));
    const first = c.labs[0]!;
    expect(first.id).toBe('01-enable-workload-management');
    expect(first.intro).toMatch(/^# Explore the inventory/);
    expect(first.steps.map((s) => s.title)).toEqual([
      'Explore the inventory',
      'Enable Workload Management on NSX-T',
      'Watch the control plane come up',
    ]);
    expect(c.find('3')?.id).toBe('03-vsphere-namespace');
    expect(c.find('05')?.id).toBe('05-harbor');
    expect(c.find('nope')).toBeUndefined();
    expect(c.exam?.pool.length).toBeGreaterThanOrEqual(c.exam!.tasks);
  });

  it('refuses a check with two conditions, naming the file', () => {
    const root = oneLab(
      manifest(
        `- id: c\n  description: d\n  hint: h\n  query: { resource: pods }\n  exists: true\n  count: 1`,
      ),
    );
    expect(() => LabCatalogue.load(root)).toThrow(LabFormatError);
    expect(() => LabCatalogue.load(root)).toThrow(/x-lab\/lab\.yaml is not a valid lab file/);
  });

  it('refuses unknown fields, a query space it does not know, and a check without a hint', () => {
    for (const check of [
      `- id: c\n  description: d\n  hint: h\n  query: { resource: pods }\n  exist: true`,
      `- id: c\n  description: d\n  hint: h\n  query: { resource: pods, space: esx }\n  exists: true`,
      `- id: c\n  description: d\n  query: { resource: pods }\n  exists: true`,
      `- id: c\n  description: d\n  hint: h\n  query: { resource: pods }\n  allowed: true`,
    ])
      expect(() => LabCatalogue.load(oneLab(manifest(check))), check).toThrow(LabFormatError);
  });

  it('refuses a bad regular expression, and Markdown whose steps do not match the manifest', () => {
    expect(() =>
      LabCatalogue.load(oneLab(manifest(`- id: c\n  description: d\n  hint: h\n  command: 'kubectl ('`))),
    ).toThrow(/check "c": Invalid regular expression/);
    expect(() =>
      LabCatalogue.load(
        oneLab(manifest(`- id: c\n  description: d\n  hint: h\n  command: x`), '# T\n\n## One\n\n## Two\n'),
      ),
    ).toThrow(/lab\.md has 2 step sections \(## headings\) for 1 steps in lab\.yaml/);
  });
});

describe('checks against the live lab', () => {
  const check = (c: Partial<CheckDef>): CheckDef => ({ id: 'c', description: 'd', hint: 'the hint', ...c });

  it('reads the vCenter and Supervisor API spaces, as the system or as an SSO user', async () => {
    l = learner();
    await l.labs.start('04-vsphere-pods');
    const ctx = { lab: l.lab, history: () => [] };
    const run = (c: Partial<CheckDef>) => evaluateCheck(check(c), ctx);
    expect(run({ query: { space: 'vcenter', resource: 'hostsystems' }, count: 4 }).passed).toBe(true);
    expect(run({ query: { space: 'vcenter', resource: 'hostsystems' }, count: { min: 5 } })).toMatchObject({
      passed: false,
      found: '4 hostsystems (vcenter), expected at least 5',
      hint: 'the hint',
    });
    expect(run({ query: { resource: 'namespaces', name: 'demo' }, exists: true }).passed).toBe(true);
    expect(run({ query: { resource: 'namespaces', name: 'nope' }, exists: false }).passed).toBe(true);
    expect(run({ query: { resource: 'namespaces', name: 'nope' }, exists: true }).found).toBe(
      'no namespaces "nope"',
    );
    expect(run({ query: { resource: 'nodes' }, condition: { type: 'Ready', status: 'True' } }).found).toBe(
      'Ready=True on all 7',
    );
    const cpus = run({
      query: { space: 'vcenter', resource: 'hostsystems', name: 'esxi-01.lab.local' },
      jsonpath: '{.spec.cpu.sockets}x{.spec.cpu.coresPerSocket}',
      equals: '2x16',
    });
    expect(cpus).toMatchObject({
      passed: true,
      found: '{.spec.cpu.sockets}x{.spec.cpu.coresPerSocket} is "2x16"',
    });
    expect(
      run({
        query: { space: 'vcenter', resource: 'hostsystems', name: 'esxi-01.lab.local' },
        jsonpath: '{.spec.memoryMB}',
        min: 600000,
      }),
    ).toMatchObject({ passed: false, found: '{.spec.memoryMB} is "524288", expected ≥ 600000' });
    // the authorizer decides as it would for the user's own request
    expect(
      run({ query: { resource: 'pods', namespace: 'demo', as: 'devops', verb: 'create' }, allowed: true }),
    ).toMatchObject({
      passed: true,
      found: 'devops@vsphere.local may create pods in demo',
    });
    expect(
      run({ query: { resource: 'pods', namespace: 'demo', as: 'viewer', verb: 'list' }, allowed: false }),
    ).toMatchObject({
      passed: true,
      found: 'viewer@vsphere.local may not list pods in demo',
    });
    // reading as a user: what they may not see is not there
    expect(run({ query: { resource: 'nodes', as: 'devops@vsphere.local' }, count: 0 }).passed).toBe(true);
    // a guest cluster that does not exist yet
    expect(run({ query: { space: 'guest:demo/tkc-01', resource: 'nodes' }, count: 3 })).toMatchObject({
      passed: false,
      found: 'no nodes (guest:demo/tkc-01)',
    });
  });

  it('finds commands in the history the shell writes, only since the lab started', async () => {
    l = learner();
    await l.type('kubectl get nodes');
    await l.labs.start('01-enable-workload-management');
    expect(l.labs.check('1', 3).checks.find((c) => c.id === 'got-nodes')!.passed).toBe(false);
    await l.type('k get no');
    expect(l.labs.check('1', 3).checks.find((c) => c.id === 'got-nodes')).toMatchObject({
      passed: true,
      found: 'you ran: k get no',
    });
    expect(parseHistory('#100\nls\n#160\ncat <<EOF\na\nEOF\nold\n')).toEqual([
      { at: 100, command: 'ls' },
      { at: 160, command: 'cat <<EOF\na\nEOF\nold' },
    ]);
  });
});

describe('progress in the lab database', () => {
  it('moves the learner on as steps pass, and is there to resume after the lab is reopened', async () => {
    const path = join(tmp(), 'lab.db');
    const catalogue = shippedLabs();
    let lab = Lab.open({ path, seed: 's', scenario: defaultScenario() });
    let labs = new Labs(lab, { catalogue, scenarios: shippedScenarios });
    await labs.start('03-vsphere-namespace');
    expect(labs.check('03-vsphere-namespace')).toMatchObject({ step: 1, passed: false });
    lab.world.vc.create({
      apiVersion: 'vcenter.lab/v1',
      kind: 'VSphereNamespace',
      metadata: { name: 'demo' },
      spec: { cluster: 'Workload-Cluster' },
    });
    lab.settle();
    expect(labs.check('03-vsphere-namespace')).toMatchObject({ step: 1, passed: true });
    expect(labs.hints('03-vsphere-namespace', 2)).toHaveLength(1);
    lab.close();
    lab = Lab.open({ path });
    labs = new Labs(lab, { catalogue, scenarios: shippedScenarios });
    try {
      const r = labs.resume()!;
      expect(r.lab.id).toBe('03-vsphere-namespace');
      expect(r.step).toBe(2);
      expect(r.progress).toMatchObject({ completed: ['create'], hintsShown: 1 });
      expect(labs.list().find((x) => x.id === '03-vsphere-namespace')!.progress?.currentStep).toBe(1);
      // checking without a step checks the one the learner is on
      expect(labs.check('03-vsphere-namespace')).toMatchObject({ step: 2, stepId: 'storage', passed: false });
      // a reset starts the lab over
      await labs.start('03-vsphere-namespace');
      expect(labs.progress.get('03-vsphere-namespace')).toMatchObject({ currentStep: 0, completed: [] });
      expect(lab.world.vc.tryGet('vspherenamespaces', '', 'demo')).toBeUndefined();
    } finally {
      lab.close();
    }
  });

  it('prepares a lab in no real time on a lab whose clock runs in real time, as in the app', async () => {
    let wall = 1_000_000;
    const lab = Lab.open({
      path: ':memory:',
      seed: 's',
      scenario: defaultScenario(),
      clock: { kind: 'realtime', speed: 1 },
      wall: () => wall,
    });
    try {
      const labs = new Labs(lab, { catalogue: shippedLabs(), scenarios: shippedScenarios });
      const before = lab.clock.nowMs();
      await labs.start('02-control-plane');
      // the setup's twenty minutes passed in lab time at once, and the clock runs in real time again
      expect(lab.clock.nowMs() - before).toBe(20 * 60_000);
      expect(lab.clock.getMode()).toEqual({ kind: 'realtime', speed: 1 });
      wall += 5_000;
      expect(lab.clock.nowMs() - before).toBe(20 * 60_000 + 5_000);
      expect(labs.check('02-control-plane', 2).checks.find((c) => c.id === 'spread')!.passed).toBe(true);
    } finally {
      lab.close();
    }
  });

  it('checks again by itself when the lab changes', async () => {
    l = learner();
    await l.labs.start('03-vsphere-namespace');
    const seen: boolean[] = [];
    const sub = l.labs.autoCheck('03-vsphere-namespace', (r) => seen.push(r.passed));
    await l.type('govc namespace.create -cluster Workload-Cluster demo');
    sub.dispose();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(true);
    const n = seen.length;
    await l.type('govc namespace.update -storage k8s-gold demo');
    expect(seen.length).toBe(n);
  });

  it('gives the solution as the lines to put into the terminal', () => {
    const lines = shippedLabs().find('06')!.steps[1]!.solution.trimEnd().split('\n');
    l = learner();
    expect(l.labs.solution('06', 2)).toEqual(lines);
    expect(lines[0]).toBe('cat > tkc-01.yaml <<EOF');
    expect(() => l!.labs.solution('06', 9)).toThrow(/lab 06-provision-tkc has steps 1 to 4, not 9/);
  });
});

describe('the labs CLI', () => {
  it('is reached through npm run lab -- labs, on the lab in --data-dir', async () => {
    const dataDir = tmp();
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      expect(await main(['labs', 'start', '3', '--data-dir', dataDir])).toBe(0);
      expect(await main(['labs', 'check', '3', '--data-dir', dataDir])).toBe(1);
      expect(await main(['labs', 'ls', '--data-dir', dataDir])).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(out).toMatch(/^lab 03-vsphere-namespace started at lab time /);
    expect(out).toContain('step 1 (create) Create the namespace: NOT YET\n');
    expect(out).toMatch(/\n03-vsphere-namespace +beginner +25m +5 +step 1\/5 +Create and configure/);
  });

  it('lists, checks with an exit status, and names what it does not know', async () => {
    l = learner();
    let out = '';
    let err = '';
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
    expect(await labsCommand(l.labs, ['ls'], io)).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^ID +LEVEL +TIME +STEPS +PROGRESS +TITLE$/);
    expect(out).toMatch(/\n01-enable-workload-management +beginner +20m +3 +Explore the inventory/);
    out = '';
    expect(await labsCommand(l.labs, ['start', '1'], io)).toBe(0);
    expect(await labsCommand(l.labs, ['check', '1', '--step', '2'], io)).toBe(1);
    expect(out).toContain('step 2 (enable) Enable Workload Management on NSX-T: NOT YET\n');
    expect(out).toContain(
      '  [ ] Workload-Cluster is being enabled as a Supervisor — no supervisors "Workload-Cluster" (vcenter)\n',
    );
    expect(out).toContain(
      '  hint: Enable it with `govc namespace.cluster.enable -cluster Workload-Cluster …`',
    );
    await l.type(shippedLabs().find('1')!.steps[1]!.solution);
    out = '';
    expect(await labsCommand(l.labs, ['check', '1', '--step', '2'], io)).toBe(0);
    expect(out).toMatch(/: PASSED\n/);
    expect(await labsCommand(l.labs, ['check', 'nope'], io)).toBe(1);
    expect(err).toBe('error: no lab "nope" (see labs ls)\n');
    err = '';
    expect(await labsCommand(l.labs, ['check', '1', '--step', 'two'], io)).toBe(2);
    expect(err).toBe('error: invalid --step: two (a step number from 1)\n');
  });
});
