import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../main/sim/lab';
import { createShell } from '../../main/shell';
import { adminClient, newLab, pod } from '../helpers/lab';
import { haveKubectl, inApp, KUBECTL, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { defaultScenario, runningSupervisor } from '../helpers/scenario';
import { Screen } from '../helpers/screen';

warnSkipped('the differential kubectl get output-format suite');

/** Splits a command line as the shell would: words, with '…' and "…" quoting. */
function words(line: string): string[] {
  return line.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g)!.map((w) => w.replace(/'([^']*)'|"([^"]*)"/g, '$1$2'));
}

/** Lets the event loop turn until `done` holds (the watch is up, a line has arrived); no fixed sleeps. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 20_000 && !done(); i++) await new Promise((r) => setTimeout(r, 1));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
}

function setUp(lab: Lab): void {
  runningSupervisor(lab);
  const c = adminClient(lab);
  for (const ns of ['demo', 'empty', 'many', 'quant'])
    c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const withGrace = (p: ReturnType<typeof pod>, seconds: number, image: string) => ({
    ...p,
    spec: { containers: [{ name: 'main', image }], terminationGracePeriodSeconds: seconds },
  });
  const web1 = withGrace(pod('web-1', 'demo', { labels: { app: 'web' } }), 30, 'nginx:1.25');
  web1.metadata.annotations = { 'kubernetes.io/change-cause': 'first rollout' };
  c.create(web1);
  lab.advance(5_000);
  c.create(withGrace(pod('web-2', 'demo', { labels: { app: 'web', tier: 'front' } }), 5, 'nginx:1.27'));
  lab.advance(5_000);
  c.create(withGrace(pod('db-1', 'demo', { labels: { app: 'db' } }), 120, 'postgres:16'));
  c.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'demo' },
    data: { color: 'blue' },
  });
  // HTML characters and a tab: Go's JSON escapes the first, the tabwriter splits cells at the second
  c.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'html', namespace: 'empty' },
    data: { a: '<b>&amp;</b>', t: 'x\ty' },
  });
  // quantities and plain numbers compare by value, other strings in natural order
  for (const [name, size] of [
    ['a', '2'],
    ['b', '500m'],
    ['c', '1Gi'],
    ['d', '10'],
    ['e', '1k'],
  ])
    c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'quant' }, data: { size } });
  // more than 12 items with equal keys: the order Go's sort.Sort leaves them in is what kubectl prints
  for (let i = 0; i < 17; i++)
    c.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `cm-${String(i).padStart(2, '0')}`,
        namespace: 'many',
        labels: {
          ...(i % 5 === 0 ? {} : { tier: ['gold', 'silver', 'bronze'][i % 3]! }),
          n: `v${(i * 7) % 11}`,
        },
      },
    });
  lab.advance(125_000);
}

describe.skipIf(!haveKubectl)('kubectl get output formats in the lab shell equal the real kubectl', () => {
  let lab: Lab;
  let s: Served;
  beforeAll(async () => {
    lab = newLab({ scenario: defaultScenario() });
    setUp(lab);
    s = await serveLab(lab);
    // the same template files on disk (for the real kubectl) and in the lab's workspace
    const files: Record<string, string> = {
      'cols.txt': 'NAME   PHASE  GRACE\n.metadata.name  {.status.phase} spec.terminationGracePeriodSeconds\n',
      'short.txt': 'NAME PHASE\n.metadata.name\n',
      'names.jsonpath': '{range .items[*]}{.metadata.name}{"\\n"}{end}',
    };
    const session = createShell(lab, { write: () => {}, terminal: false });
    session.workspace.mkdir(join(s.dir, 'tpl'), true);
    mkdirSync(join(s.dir, 'tpl'), { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(s.dir, 'tpl', name), text);
      session.workspace.write(join(s.dir, 'tpl', name), text);
    }
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
  });

  const corpus = [
    // jsonpath
    "get pods -n demo -o jsonpath='{.items[*].metadata.name}'",
    `get pods -n demo -o 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'`,
    "get pod web-1 -n demo -o jsonpath='{.metadata.labels}'",
    "get pod web-1 -n demo -o jsonpath='{.spec.containers}'",
    "get pod web-1 -n demo -o jsonpath='{.spec.containers[0].name}\\n'",
    `get pods -n demo -o=jsonpath='{.items[?(@.metadata.labels.tier)].metadata.name}'`,
    `get pods -n demo -ojsonpath='{.items[?(@.metadata.name=="web-1")].spec.containers[0].image}'`,
    `get pods -n demo -o jsonpath='{.items[?(@.metadata.name!="web-1")].metadata.name}'`,
    "get pods -n demo -o jsonpath='{.items[?(@.spec.terminationGracePeriodSeconds>10)].metadata.name}'",
    "get pods -n demo -o jsonpath='{.items[?(@.spec.terminationGracePeriodSeconds<=30)].metadata.name}'",
    `get pods -n demo -o jsonpath='{.items[?(@.spec.terminationGracePeriodSeconds<"x")].metadata.name}'`,
    "get pods -n demo -o jsonpath=\"{.items[*]['metadata.name','kind']}\"",
    "get pods -n demo -o jsonpath='{.items[0,2].metadata.name}'",
    "get pods -n demo -o jsonpath='{..image}'",
    "get pods -n demo -o jsonpath='{.items[-1].metadata.name} {.items[0:2].metadata.name} {.items[::2].metadata.name}'",
    "get pods -n demo -o jsonpath='{.items[].metadata.name}'",
    'get pods -n demo -o jsonpath=\'{range .items[*]}[{.metadata.name}]{end}{"\\n"}\'',
    "get pods -n demo -o jsonpath='{range .items[*]}{range .spec.containers[*]}{.name}={.image} {end}{end}'",
    "get pods -n demo -o jsonpath='{.items[*].foo}'",
    "get pod web-1 -n demo -o jsonpath='{.foo}' --allow-missing-template-keys=false",
    "get pods -n demo -o jsonpath='{.items[5]}'",
    "get pods -n demo -o jsonpath='{.items[0].metadata.name'",
    'get pods -n demo -o jsonpath=\'{.items[*]["metadata"]}\'',
    "get pods -n demo -o jsonpath='{end}'",
    'get pods -n demo -o jsonpath="{\'hi\'}{12}{1.5}{true}"',
    "get pods -n demo -o jsonpath='{.kind} {.apiVersion} {.metadata}'",
    "get pod web-1 -n demo -o jsonpath='{.metadata.annotations.kubernetes\\.io/change-cause}'",
    'get pods -n demo -o jsonpath=\'{.items[*].metadata.labels.app}{"\\n"}{.items[0].spec.containers[0]["name"]}\'',
    "get pods -n demo -o jsonpath='{.items[?(@.spec.terminationGracePeriodSeconds==1.0)].metadata.name}'",
    "get pods -n demo -o jsonpath='{.items[0].spec.enableServiceLinks} {.items[?(@.spec.enableServiceLinks>false)]}'",
    "get pods -n demo -o jsonpath='{.items[0].metadata.name.x} {.kind[0]}'",
    'get pods -n demo -o jsonpath=\'{range .items[?(@.metadata.name=="zzz")]}{.metadata.x}{end}\' --allow-missing-template-keys=false',
    "get pods -n demo -o jsonpath-as-json='{.items[*].metadata.name}'",
    'get pods -n demo -o jsonpath',
    "get pods -n demo -o jsonpath --template='{.items[0].kind}'",
    'get pods -n demo -o jsonpath-file=TPL/names.jsonpath',
    'get pods -n demo -o jsonpath-file=TPL/nope',
    "get cm html -n empty -o jsonpath='{.data}'",
    'get cm html -n empty -o json',
    "get pod nope web-1 -n demo -o jsonpath='{.kind}'",
    // custom columns
    'get pods -n demo -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,TIER:.metadata.labels.tier',
    'get pods -n demo -o custom-columns=NAME:metadata.name,C:{.spec.containers[*].name},L:.metadata.labels',
    'get pods -n demo -o custom-columns=NAME:.metadata.name --no-headers',
    'get pods -n demo -o custom-columns=NAME',
    'get pods -n demo -o custom-columns=',
    'get pods -n demo -o custom-columns=NAME:.metadata.name,',
    'get pods -n demo -o custom-columns=A:.metadata.name,B:{.x',
    'get pods -n demo -o custom-columns=A:.metadata.name,B:.spec.containers[5].name',
    'get pods -n demo -o custom-columns-file=TPL/cols.txt --no-headers',
    'get pods -n demo -o custom-columns-file=TPL/short.txt',
    'get pods -n demo -o custom-columns-file=TPL/missing.txt',
    'get pods -n empty -o custom-columns=NAME:.metadata.name',
    'get pods,cm -n demo -o custom-columns=NAME:.metadata.name,KIND:.kind',
    'get cm html -n empty -o custom-columns=A:.data.a,T:.data.t',
    // --sort-by
    'get pods -n demo --sort-by=.metadata.name',
    'get pods -n demo --sort-by=.metadata.labels.tier',
    'get pods -n demo --sort-by=.spec.terminationGracePeriodSeconds -o name',
    'get pods -n demo --sort-by=.spec.terminationGracePeriodSeconds -o wide',
    'get pods -A --sort-by=.metadata.name --no-headers',
    'get cm -n quant --sort-by=.data.size',
    "get pods -n demo --sort-by='{.metadata.creationTimestamp}' -o jsonpath='{.items[*].metadata.name}'",
    'get pods -n demo --sort-by=.metadata.foo',
    'get pods -n demo --sort-by=.metadata.foo -o name',
    'get pods -n empty --sort-by=.metadata.foo -o name',
    'get cm -n quant --sort-by=.data.size -o custom-columns=NAME:.metadata.name,SIZE:.data.size',
    'get cm -n many --sort-by=.metadata.labels.tier -o custom-columns=NAME:.metadata.name,TIER:.metadata.labels.tier',
    'get cm -n many --sort-by=.metadata.labels.n --no-headers',
    'get pods,cm -n demo --sort-by=.metadata.name',
    'get pods,cm -n demo --sort-by=.metadata.name -o name',
    'get pod web-1 -n demo --sort-by=.metadata.foo',
    // the printers kubectl knows, and the flags that go with them
    'get pods -n demo -o bogus',
    'get pod nope -n demo -o bogus',
    'get pods -n demo -o custom-columns=A:.kind --template=N:.metadata.name',
    'get pods -n demo -o custom-columns --template=N:.metadata.name',
    'get pods -n demo --show-labels -o name',
    'get pods -n empty -o name',
    'get pods -n demo --output-watch-events',
    'get pods,cm -n demo -w',
    'get -w',
  ];

  for (const line of corpus) {
    it(`kubectl ${line}`, async () => {
      const expand = (w: string) => w.replace('TPL/', `${join(s.dir, 'tpl')}/`);
      const real = await s.kubectl(words(line).map(expand));
      const ours = await inApp(lab, `kubectl ${expand(line)}`);
      expect({ code: ours.code, stdout: ours.stdout, stderr: ours.stderr }).toEqual({
        code: real.code,
        stdout: real.stdout,
        stderr: real.stderr,
      });
    });
  }

  /**
   * Starts a watch with the real kubectl and, in a lab shell on a terminal screen, the same command; makes
   * changes through the API once both watch, waits for the real kubectl's `lines` lines, interrupts both.
   */
  async function watchBoth(line: string, change: () => void, lines: number) {
    const watches = lab.api.hub.watcherCount();
    let realOut = '';
    const child = spawn(KUBECTL, words(line), {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: s.dir,
        KUBECONFIG: s.kubeconfigPath,
        KUBECACHEDIR: join(s.dir, 'cache'),
      },
    });
    child.stdout.on('data', (d: Buffer) => (realOut += d.toString()));
    const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
    const screen = new Screen(160, 30);
    const writes: Promise<void>[] = [];
    const session = createShell(lab, { write: (d) => writes.push(screen.write(d)), columns: 160 });
    session.start();
    session.feed(`kubectl ${line}\r`);
    await until(() => lab.api.hub.watcherCount() === watches + 2, 'both watches').catch((e: Error) => {
      child.kill('SIGINT');
      session.feed('\x03');
      throw new Error(`${e.message}; the lab shell shows:\n${screen.lines().join('\n')}`);
    });
    change();
    lab.api.flush();
    await until(() => realOut.split('\n').length > lines, `the real kubectl's ${lines} lines`);
    child.kill('SIGINT');
    const realCode = await exited;
    await Promise.all(writes);
    const shown = screen.lines();
    const seen = shown.slice(shown.findIndex((l) => l.endsWith(`$ kubectl ${line}`)) + 1);
    session.feed('\x03');
    await session.idle();
    await Promise.all(writes);
    expect(lab.api.hub.watcherCount()).toBe(watches);
    return {
      real: { code: realCode, lines: realOut.replace(/\n$/, '').split('\n') },
      ours: { code: session.lastStatus, lines: seen, end: screen.lines().slice(-2) },
    };
  }

  it('kubectl get -w: the same rows as changes arrive, and status 1 after an interrupt', async () => {
    const c = adminClient(lab);
    const { real, ours } = await watchBoth(
      'get pods -n demo -w',
      () => {
        // another session's writes, and time passing on the lab clock
        c.create(pod('web-3', 'demo', { labels: { app: 'web' } }));
        lab.advance(3_000);
        c.patch('pods', 'demo', 'web-1', 'merge', { metadata: { labels: { release: 'canary' } } });
      },
      6,
    );
    expect(ours.lines).toEqual(real.lines);
    expect(ours.lines).toEqual([
      'NAME    READY   STATUS    RESTARTS   AGE',
      'db-1    0/1     Pending   0          2m5s',
      'web-1   0/1     Pending   0          2m15s',
      'web-2   0/1     Pending   0          2m10s',
      'web-3   0/1     Pending   0          0s',
      'web-1   0/1     Pending   0          2m18s',
    ]);
    expect(real.code).toBe(1);
    expect(ours.code).toBe(1);
    expect(ours.end[0]).toBe('^C');
    expect(ours.end[1]).toMatch(/^administrator@vsphere\.local .*\$$/);
  });

  it('kubectl get NAME --watch-only -o jsonpath: changes only, laid out by the watch tabwriter', async () => {
    const c = adminClient(lab);
    const { real, ours } = await watchBoth(
      `get pod web-1 -n demo --watch-only -o 'jsonpath={.metadata.name}{"\\t"}{.metadata.labels.release}{"\\n"}'`,
      () => {
        c.patch('pods', 'demo', 'web-1', 'merge', { metadata: { labels: { release: 'stable' } } });
        lab.advance(1_000);
        c.patch('pods', 'demo', 'web-1', 'merge', { metadata: { labels: { release: 'blue-green' } } });
      },
      2,
    );
    expect(ours.lines).toEqual(real.lines);
    expect(ours.lines).toEqual(['web-1   stable', 'web-1   blue-green']);
    expect(ours.code).toBe(real.code);
  });

  it('kubectl get --watch-only --output-watch-events: an EVENT column, the header with the first change', async () => {
    const c = adminClient(lab);
    const { real, ours } = await watchBoth(
      'get cm -n empty --watch-only --output-watch-events',
      () => {
        c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later', namespace: 'empty' } });
        lab.advance(2_000);
        c.delete('configmaps', 'empty', 'later');
      },
      3,
    );
    expect(ours.lines).toEqual(real.lines);
    expect(ours.lines).toEqual([
      'EVENT      NAME    DATA   AGE',
      'ADDED      later   0      0s',
      'DELETED    later   0      2s',
    ]);
  });
});
