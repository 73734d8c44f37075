import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { enableWorkloadManagement } from '../../../main/sim/vcenter/operations';
import { adminClient, newLab, pod } from '../../helpers/lab';
import { defaultScenario, nsxEnable } from '../../helpers/scenario';
import { Screen } from '../../helpers/screen';

let lab: Lab;
beforeAll(() => {
  lab = newLab({ scenario: defaultScenario() });
  enableWorkloadManagement(lab.world.vc, nsxEnable());
  lab.advance(20 * 60_000);
  const c = adminClient(lab);
  c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  c.create(pod('web-1', 'demo', { labels: { app: 'web' } }));
  lab.advance(10_000);
  c.create(pod('db-1', 'demo', { labels: { app: 'db' } }));
  lab.advance(50_000);
});
afterAll(() => lab?.close());

/** A lab shell on a terminal screen; `type` sends keys and lets what they started run as far as it can. */
function terminal() {
  const screen = new Screen(120, 30);
  const writes: Promise<void>[] = [];
  const session = createShell(lab, { write: (d) => writes.push(screen.write(d)), columns: 120 });
  session.start();
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    await Promise.all(writes);
  };
  const type = async (keys: string) => {
    session.feed(keys);
    await settle();
  };
  /** The screen from the line that ends with `command` on. */
  const from = (command: string) => {
    const lines = screen.lines();
    return lines.slice(lines.findIndex((l) => l.endsWith(`$ ${command}`)));
  };
  return { session, screen, type, settle, from };
}

describe('kubectl get -w in the lab shell', () => {
  it('prints the table, then a row per change made in another session as the lab clock steps, until Ctrl-C', async () => {
    const watcher = terminal();
    const other = terminal();
    const watches = lab.api.hub.watcherCount();
    await watcher.type('kubectl get pods -n demo -w\r');
    expect(lab.api.hub.watcherCount()).toBe(watches + 1);
    await other.type('kubectl label pod web-1 -n demo tier=front\r');
    await other.type('sleep 30s\r');
    await other.type('kubectl delete pod db-1 -n demo --wait=false\r');
    expect(watcher.from('kubectl get pods -n demo -w')).toEqual([
      expect.stringMatching(/ \$ kubectl get pods -n demo -w$/),
      'NAME    READY   STATUS    RESTARTS   AGE',
      'db-1    0/1     Pending   0          50s',
      'web-1   0/1     Pending   0          60s',
      'web-1   0/1     Pending   0          60s',
      'db-1    0/1     Pending   0          80s',
    ]);
    // nothing typed while it watches runs; Ctrl-C ends it with kubectl's status
    expect(watcher.session.lastStatus).toBe(0);
    await watcher.type('\x03');
    await watcher.session.idle();
    await watcher.type('echo $?\r');
    expect(watcher.from('kubectl get pods -n demo -w').slice(-4)).toEqual([
      '^C',
      expect.stringMatching(/ \$ echo \$\?$/),
      '1',
      expect.stringMatching(/ \$$/),
    ]);
    expect(lab.api.hub.watcherCount()).toBe(watches);
  });

  it('with --watch-only -o name prints only what changes, in the chosen format', async () => {
    const watcher = terminal();
    const c = adminClient(lab);
    await watcher.type('kubectl get pods -n demo --watch-only -o name\r');
    c.create(pod('api-1', 'demo'));
    lab.api.flush();
    await watcher.settle();
    expect(watcher.from('kubectl get pods -n demo --watch-only -o name').slice(1)).toEqual(['pod/api-1']);
    await watcher.type('\x03');
  });
});

describe('kubectl get, what kubectl cannot do or refuses', () => {
  const run = async (line: string) => {
    let out = '';
    const session = createShell(lab, { write: (d) => (out += d), terminal: false });
    await session.runScript(`${line} 2>&1`);
    return { out, status: session.lastStatus };
  };

  it('exits as kubectl does (klog) when --sort-by meets values it cannot compare', async () => {
    const { out, status } = await run('kubectl get pods -n demo --sort-by=.spec.containers');
    const stamp = /^F\d{4} \d\d:\d\d:\d\d\.\d{6} {7}1 /;
    expect(out).toMatch(stamp);
    expect(out.replace(stamp, '')).toBe(
      'sorter.go:375] Field {.spec.containers} in [][][]reflect.Value is an unsortable type: interface, err: unsortable type: []interface {}\n',
    );
    expect(status).toBe(1);
    const generic = await run('kubectl get pods -n demo --sort-by=.spec.containers -o name');
    expect(generic.out.replace(stamp, '')).toBe(
      'sorter.go:329] Field {.spec.containers} in *unstructured.Unstructured is an unsortable type: interface, err: unsortable type: []interface {}\n',
    );
  });

  it('says Go templates are not there, and what to use instead', async () => {
    expect(await run("kubectl get pods -n demo -o go-template='{{.kind}}'")).toEqual({
      out: 'error: Go templates (-o go-template) are not available in the lab shell; use -o jsonpath=…\n',
      status: 1,
    });
    expect(await run('kubectl get pods -n demo -o template')).toEqual({
      out: 'error: template format specified but no template given\n',
      status: 1,
    });
  });
});
