import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { enableWorkloadManagement } from '../../../main/sim/vcenter/operations';
import { newLab } from '../../helpers/lab';
import { defaultScenario, nsxEnable, vsphereNamespace } from '../../helpers/scenario';
import { Screen } from '../../helpers/screen';

let lab: Lab;
afterEach(() => lab?.close());

/** A lab with a running Supervisor (API VIP 192.168.30.1) and a terminal on it. */
function shell(o: { supervisor?: boolean } = {}) {
  lab ??= newLab({ scenario: defaultScenario() });
  if (o.supervisor !== false) {
    enableWorkloadManagement(lab.world.vc, nsxEnable());
    lab.advance(20 * 60_000);
  }
  return open();
}

function open() {
  const screen = new Screen(120, 40);
  const writes: Promise<void>[] = [];
  let all = '';
  const session = createShell(lab, {
    write: (d) => {
      all += d;
      writes.push(screen.write(d));
    },
  });
  session.start();
  const type = async (keys: string) => {
    session.feed(keys);
    await session.idle();
    await Promise.all(writes);
  };
  /** keys for a command that is still running (a password prompt): no waiting for it to end */
  const send = async (keys: string) => {
    session.feed(keys);
    await new Promise((r) => setTimeout(r, 0));
    await Promise.all(writes);
  };
  return { session, screen, type, send, written: () => all };
}

const LOGIN = 'kubectl vsphere login --server=192.168.30.1 --vsphere-username devops@vsphere.local';

describe('kubectl vsphere login and the lab kubeconfig', () => {
  it('starts signed in as the administrator on the lab endpoint, and the prompt says so', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const { screen, type } = shell({ supervisor: false });
    await type('');
    expect(screen.lines()).toEqual(['administrator@vsphere.local (127.0.0.1) ~ $']);
    await type('kubectl config get-contexts\r');
    await type('kubectl get ns -o name\r');
    expect(screen.lines().slice(1, 3)).toEqual([
      'CURRENT   NAME        CLUSTER     AUTHINFO                                    NAMESPACE',
      '*         127.0.0.1   127.0.0.1   wcp:127.0.0.1:administrator@vsphere.local',
    ]);
    expect(screen.lines()).toContain('namespace/default');
  });

  it('asks for the password without echoing it, writes the contexts, and switches the prompt', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const { screen, type, send, written, session } = shell();
    await send(`${LOGIN} --insecure-skip-tls-verify\r`);
    expect(screen.lines().slice(-2)).toEqual([
      'KUBECTL_VSPHERE_PASSWORD environment variable is not set. Please enter the password below',
      'Password:',
    ]);
    await type('VMware1!\r');
    expect(written()).not.toContain('VMware1!');
    const lines = screen.lines();
    expect(lines.slice(-11)).toEqual([
      'Password:',
      'Logged in successfully.',
      '',
      'You have access to the following contexts:',
      '   192.168.30.1',
      '',
      'If the context you wish to use is not in this list, you may need to try',
      'logging in again later, or contact your cluster administrator.',
      '',
      'To change context, use `kubectl config use-context <workload name>`',
      'devops@vsphere.local (192.168.30.1) ~ $',
    ]);
    const config = session.workspace.read('/.kube/config');
    expect(config).toContain('server: https://192.168.30.1:6443');
    expect(config).toContain('name: wcp:192.168.30.1:devops@vsphere.local');
    expect(config).toContain('current-context: 192.168.30.1');
    // the administrator's context is still there to switch back to
    await type('kubectl config use-context 127.0.0.1\r');
    expect(screen.lines().at(-1)).toBe('administrator@vsphere.local (127.0.0.1) ~ $');
  });

  it('takes the password from KUBECTL_VSPHERE_PASSWORD, and refuses a wrong one without touching the kubeconfig', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const { screen, type, session } = shell();
    vsphereNamespace(lab, 'demo', { access: [{ principal: 'devops@vsphere.local', role: 'edit' }] });
    const before = session.workspace.read('/.kube/config');
    await type(
      `KUBECTL_VSPHERE_PASSWORD=wrong; export KUBECTL_VSPHERE_PASSWORD; ${LOGIN} --insecure-skip-tls-verify\r`,
    );
    await type('echo $?\r');
    expect(screen.lines().slice(-4)).toEqual([
      'Error: Login failed: the username or password is incorrect.',
      'administrator@vsphere.local (127.0.0.1) ~ $ echo $?',
      '1',
      'administrator@vsphere.local (127.0.0.1) ~ $',
    ]);
    expect(session.workspace.read('/.kube/config')).toBe(before);
    await type(
      `export KUBECTL_VSPHERE_PASSWORD='VMware1!'; ${LOGIN} --insecure-skip-tls-verify > /dev/null; kubectl get ns -o name\r`,
    );
    // devops sees only the namespace they hold a role on, and the login made it the current context
    expect(screen.lines().slice(-2)).toEqual(['namespace/demo', 'devops@vsphere.local (demo) ~ $']);
  });

  it('fails as the plugin does on an unverified certificate, an address with no Supervisor, and bad flags', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const { session } = shell();
    session.env.set('KUBECTL_VSPHERE_PASSWORD', 'VMware1!');
    const run = async (line: string) => {
      await session.runScript(`${line} 2> /err.txt`);
      return { status: session.lastStatus, err: session.workspace.read('/err.txt') };
    };
    const before = session.workspace.read('/.kube/config');
    expect(await run(LOGIN)).toEqual({
      status: 1,
      err: 'Error occurred during HTTP request: Post "https://192.168.30.1/wcp/login": x509: certificate signed by unknown authority\n',
    });
    expect(await run(`${LOGIN.replace('192.168.30.1', '10.9.9.9')} --insecure-skip-tls-verify`)).toEqual({
      status: 1,
      err: 'Error occurred during HTTP request: Post "https://10.9.9.9/wcp/login": dial tcp 10.9.9.9:443: i/o timeout\n',
    });
    expect((await run('kubectl vsphere login --vsphere-username devops')).err).toBe(
      'Error: --server is required\n',
    );
    expect((await run('kubectl vsphere login --server=192.168.30.1 --bogus')).err).toMatch(
      /^Error: unknown flag: --bogus\n/,
    );
    expect((await run('kubectl vsphere frobnicate')).err).toMatch(
      /^Error: unknown command "frobnicate" for "vsphere"/,
    );
    expect(session.workspace.read('/.kube/config')).toBe(before);
  });

  it('asks in scripts only through the variable, and Ctrl-C stops the prompt', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const { session, type, send, screen } = shell();
    const script = createShell(lab, { write: () => {}, terminal: false });
    await script.runScript(`${LOGIN} --insecure-skip-tls-verify 2> /err.txt`);
    expect(session.workspace.read('/err.txt')).toBe(
      'Error: no password: set KUBECTL_VSPHERE_PASSWORD or run in a terminal\n',
    );
    await send(`${LOGIN} --insecure-skip-tls-verify\r`);
    await type('VMw\x03');
    await type('echo $?\r');
    expect(screen.lines().slice(-4)).toEqual([
      'Password: ^C',
      'administrator@vsphere.local (127.0.0.1) ~ $ echo $?',
      '130',
      'administrator@vsphere.local (127.0.0.1) ~ $',
    ]);
  });

  it('expires the session after 10 hours of lab time, and logout clears the credentials', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const { session } = shell();
    vsphereNamespace(lab, 'demo', { access: [{ principal: 'devops@vsphere.local', role: 'edit' }] });
    const run = async (line: string) => {
      await session.runScript(`${line} 2> /err.txt > /out.txt`);
      return {
        status: session.lastStatus,
        out: session.workspace.read('/out.txt'),
        err: session.workspace.read('/err.txt'),
      };
    };
    session.env.set('KUBECTL_VSPHERE_PASSWORD', 'VMware1!');
    expect((await run(`${LOGIN} --insecure-skip-tls-verify`)).status).toBe(0);
    expect((await run('kubectl get ns demo -o name')).out).toBe('namespace/demo\n');
    lab.advance(10 * 60 * 60_000);
    expect(await run('kubectl get ns demo -o name')).toEqual({
      status: 1,
      out: '',
      err: 'error: You must be logged in to the server (Unauthorized)\n',
    });
    expect((await run(`${LOGIN} --insecure-skip-tls-verify`)).status).toBe(0);
    expect((await run('kubectl vsphere logout')).out).toBe(
      'Your KUBECONFIG context has been cleared of vSphere credentials.\n',
    );
    expect((await run('kubectl get ns demo -o name')).err).toBe(
      'error: You must be logged in to the server (Unauthorized)\n',
    );
    expect(session.workspace.read('/.kube/config')).not.toContain('token:');
  });

  it('reaches the Supervisor at its VIP only on 6443, and nothing at an address that is not there', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const { session } = shell();
    const run = async (line: string) => {
      await session.runScript(`${line} 2> /err.txt`);
      return { status: session.lastStatus, err: session.workspace.read('/err.txt') };
    };
    await run('kubectl config set-cluster other --server=https://192.168.30.1:443');
    await run('kubectl config set-cluster gone --server=https://10.1.1.1:6443');
    expect(await run('kubectl get ns --cluster other')).toMatchObject({ status: 1 });
    await run(
      'kubectl config set-context c1 --cluster=other --user=wcp:127.0.0.1:administrator@vsphere.local',
    );
    await run(
      'kubectl config set-context c2 --cluster=gone --user=wcp:127.0.0.1:administrator@vsphere.local',
    );
    expect(await run('kubectl get ns --context c1')).toEqual({
      status: 1,
      err: 'The connection to the server 192.168.30.1:443 was refused - did you specify the right host or port?\n',
    });
    expect(await run('kubectl get ns --context c2')).toEqual({
      status: 1,
      err: 'Unable to connect to the server: dial tcp 10.1.1.1:6443: i/o timeout\n',
    });
  });
});

describe('the history file', () => {
  it('keeps what was typed in the lab, with lab timestamps, for the next terminal', async () => {
    lab = newLab({ scenario: defaultScenario() });
    const first = shell({ supervisor: false });
    await first.type('echo one\r');
    await first.type('cat <<EOF\rtwo\rEOF\r');
    const text = first.session.workspace.read('/.bash_history');
    expect(text).toBe(
      `#${Date.UTC(2026, 0, 5, 9) / 1000}\necho one\n#${Date.UTC(2026, 0, 5, 9) / 1000}\ncat <<EOF\ntwo\nEOF\n`,
    );
    const second = open();
    await second.type('history\r');
    expect(second.screen.lines().slice(1, 6)).toEqual([
      '    1  echo one',
      '    2  cat <<EOF',
      'two',
      'EOF',
      '    3  history',
    ]);
    await second.type('\x1b[A\x1b[A');
    expect(second.session.editor.line).toBe('cat <<EOF\ntwo\nEOF');
  });
});
