// The app end to end, as a learner uses it: browser mode (`npm run lab -- serve --speed stepped`) in
// Debian's Chromium. Open the app; run commands in the terminal; enable Workload Management from the
// form; create a namespace; write a TKC in the editor with completion and apply it; step the lab clock
// and watch the topology gain its VMs; fail the floating IP's host from the context menu and see the
// floating IP move. Screenshots go to test/e2e/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  CHROMIUM,
  haveChromium,
  launch,
  runInTerminal,
  serve,
  shot,
  terminalText,
  type Served,
} from './browserMode';

if (!haveChromium)
  console.warn(
    `SKIPPED: end-to-end tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );

const text = (page: Page, testid: string) => page.getByTestId(testid).innerText();

/** Steps the lab clock from the status bar, as a learner clicks "+5m". */
async function step(page: Page, times: number, button = 'step-5m') {
  for (let i = 0; i < times; i++) {
    const before = await text(page, 'lab-clock');
    await page.getByTestId(button).click();
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid="lab-clock"]')?.textContent !== b,
      before,
    );
  }
}

describe.skipIf(!haveChromium)('the app in browser mode', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await serve(['--speed', 'stepped']);
    browser = await launch();
    page = await browser.newPage({
      viewport: { width: 1600, height: 1000 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    page.on('pageerror', (e) => console.error('page error:', e.message));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens with a prompt in the terminal, the hosts in the topology and the lab clock stepped', async () => {
    await page.goto(server.url);
    await page.waitForFunction(() =>
      /~ \$/.test(document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? ''),
    );
    expect(await text(page, 'topology-counts')).toBe('4 hosts · 0 VMs · 0 pods');
    expect(await text(page, 'lab-clock')).toBe('2026-01-05 09:00:00Z');
    await page.getByTestId('status-user').getByText('administrator@vsphere.local').waitFor();
    expect(await text(page, 'status-supervisor')).toBe('Supervisor: not enabled');
    await shot(page, '01-opened');
  }, 60_000);

  it('runs commands in the terminal and shows their output', async () => {
    await runInTerminal(page, 'lab status', 'esxi-04.lab.local');
    const out = await terminalText(page);
    expect(out).toContain('Workload Management is not enabled');
    expect(out).toMatch(/esxi-01\.lab\.local +connected +0 VMs/);
    await runInTerminal(
      page,
      'kubectl get tkc',
      /error: the server doesn't have a resource type "tkc"|No resources found/,
    );
    await shot(page, '02-terminal');
  }, 60_000);

  it('pastes into the terminal and copies a selection out of it', async () => {
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-text'));
    await page.getByRole('button', { name: 'Paste' }).click();
    await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      /echo pasted-text\s*pasted-text/.test(
        document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? '',
      ),
    );
    // a triple click selects the output line; Copy puts it on the clipboard
    const rows = page.locator('[data-testid="terminal"] .xterm-rows > div');
    const n = await rows.count();
    let line = -1;
    for (let i = 0; i < n; i++) if ((await rows.nth(i).innerText()).trim() === 'pasted-text') line = i;
    expect(line).toBeGreaterThan(-1);
    const box = (await rows.nth(line).boundingBox())!;
    await page.mouse.click(box.x + 20, box.y + box.height / 2, { clickCount: 3 });
    await page.getByRole('button', { name: 'Copy' }).click();
    expect((await page.evaluate(() => navigator.clipboard.readText())).trim()).toBe('pasted-text');
  }, 60_000);

  it('opens a second terminal tab, a session of its own', async () => {
    await page.getByTestId('terminal-new').click();
    await page.getByRole('tab', { name: /shell 2/ }).waitFor();
    await runInTerminal(page, 'echo second-tab', /echo second-tab\s*second-tab/);
    expect(await terminalText(page)).not.toContain('pasted-text');
    await page
      .getByRole('tab', { name: /shell 1/ })
      .getByText('shell 1')
      .click();
    await page.waitForFunction(() =>
      /pasted-text/.test(document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? ''),
    );
    expect(await terminalText(page)).not.toContain('second-tab');
  }, 60_000);

  it('enables Workload Management from the form and shows the Supervisor coming up as the clock steps', async () => {
    await page.getByTestId('side-admin').click();
    await page.getByTestId('wcm-submit').click();
    const result = page.getByTestId('wcm-form').getByTestId('admin-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('$ govc namespace.cluster.enable -cluster Workload-Cluster');
    expect(await result.getAttribute('class')).toContain('ok');
    await page.waitForFunction(() =>
      /CONFIGURING/.test(document.querySelector('[data-testid="status-supervisor"]')?.textContent ?? ''),
    );
    await shot(page, '03-enabling');
    await step(page, 4);
    await page.waitForFunction(() =>
      /RUNNING/.test(document.querySelector('[data-testid="status-supervisor"]')?.textContent ?? ''),
    );
    await page.waitForFunction(() =>
      /· 3 VMs ·/.test(document.querySelector('[data-testid="topology-counts"]')?.textContent ?? ''),
    );
    expect(await text(page, 'topology-fip')).toMatch(/floating IP: 192\.168\.10\.\d+/);
    expect(await page.getByTestId('operations').innerText()).toMatch(/Supervisor Workload-Cluster\s+RUNNING/);
    await shot(page, '04-supervisor-running');
  }, 90_000);

  it('creates a namespace from the form', async () => {
    await page.getByTestId('ns-submit').click();
    const result = page.getByTestId('ns-form').getByTestId('admin-result');
    await result.waitFor();
    const out = await result.innerText();
    expect(out).toContain(
      '$ govc namespace.create -cluster Workload-Cluster -storage k8s-gold -vmclass best-effort-small -vmclass guaranteed-medium demo',
    );
    expect(out).toContain('$ govc namespace.access.set -principal devops@vsphere.local -role edit demo');
    expect(await result.getAttribute('class')).toContain('ok');
    await page.getByTestId('side-inventory').click();
    await page.getByTestId('inventory').locator('button', { hasText: 'demo' }).waitFor();
    await runInTerminal(page, 'kubectl get ns demo', /demo +Active/);
    await shot(page, '05-namespace');
  }, 60_000);

  it('writes a TKC in the editor from a template, using completion for the VM class, and applies it', async () => {
    await page.getByTestId('center-editor').click();
    await page.getByTestId('template-select').selectOption('tkc');
    const editor = page.getByTestId('monaco');
    await editor.locator('.view-lines').click();
    // line 10 is the control plane's vmClass: retype its value through completion
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('vmClass: ');
    const suggest = editor.locator('.suggest-widget');
    // the live values arrive with the schema a moment after the namespace changed: ask until offered
    for (let i = 0; i < 20 && !(await suggest.getByText('guaranteed-medium').isVisible()); i++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Space');
      await page.waitForTimeout(500);
    }
    await suggest.getByText('guaranteed-medium').waitFor({ timeout: 5_000 });
    await shot(page, '06-completion');
    await suggest.getByText('guaranteed-medium').click();
    await page.waitForFunction(() =>
      /vmClass:\s+guaranteed-medium/.test(
        document.querySelector('[data-testid="monaco"] .view-lines')?.textContent ?? '',
      ),
    );
    await page.getByTestId('editor-dry-run').click();
    await page.getByTestId('editor-result').getByText('(server dry run)').waitFor();
    await page.getByTestId('editor-apply').click();
    await page
      .getByTestId('editor-result')
      .getByText('tanzukubernetescluster.run.tanzu.vmware.com/tkc-01 created')
      .waitFor();
    await shot(page, '07-applied');
    // the file is in the workspace: the shell sees it
    await runInTerminal(page, 'grep vmClass /tkc.yaml', /vmClass: guaranteed-medium/);
  }, 90_000);

  it('shows the TKC VMs joining the topology as the lab clock runs, and filters by the TKC', async () => {
    await page.getByTestId('center-topology').click();
    await step(page, 5);
    await page.waitForFunction(
      () => /· 6 VMs ·/.test(document.querySelector('[data-testid="topology-counts"]')?.textContent ?? ''),
      undefined,
      { timeout: 30_000 },
    );
    await page.getByTestId('topology-filter').selectOption('tkc:demo/tkc-01');
    expect(await text(page, 'topology-counts')).toMatch(/· 3 VMs ·/);
    await shot(page, '08-tkc-filtered');
    await page.getByTestId('topology-filter').selectOption('');
    await runInTerminal(page, 'kubectl get tkc -n demo', /tkc-01 +1 +2 +v1\.21/);
    // vSphere Pods: a Deployment in the namespace comes up as CRX tiles on the hosts
    await runInTerminal(
      page,
      'kubectl create deployment web --image=nginx --replicas=3 -n demo',
      /deployment\.apps\/web created/,
    );
    await step(page, 1, 'step-1m');
    await page.waitForFunction(
      () => /· 3 pods$/.test(document.querySelector('[data-testid="topology-counts"]')?.textContent ?? ''),
      undefined,
      { timeout: 30_000 },
    );
    await runInTerminal(page, 'kubectl get pods -n demo', /web-\S+ +1\/1 +Running/);
    await shot(page, '09-tkc-running');
  }, 90_000);

  it('fails the floating IP’s host from the context menu, and the floating IP moves to another host', async () => {
    const before = await page.evaluate(() => window.__supervisorLabTopology!.floating());
    expect(before).toBeDefined();
    const at = await page.evaluate((vm) => window.__supervisorLabTopology!.locate(vm), before!.vm);
    await page.mouse.click(at!.x, at!.y, { button: 'right' });
    const menu = page.getByTestId('host-menu');
    await menu.getByText('Fail host').click();
    await page.getByTestId('details').getByText(`host ${before!.host} failed`).waitFor();
    await page
      .getByTestId('inventory')
      .locator('button', { hasText: before!.host })
      .filter({ hasText: 'failed' })
      .waitFor();
    await shot(page, '10-host-failed');
    let after = before;
    for (let i = 0; i < 5 && after?.host === before!.host; i++) {
      await step(page, 1, 'step-1m');
      await page.waitForTimeout(400);
      after = await page.evaluate(() => window.__supervisorLabTopology!.floating());
    }
    expect(after?.host).toBeDefined();
    expect(after!.host).not.toBe(before!.host);
    await runInTerminal(page, `lab explain host ${before!.host}`, /failed|not responding/i);
    await shot(page, '11-floating-ip-moved');
  }, 90_000);

  it('opens `edit FILE` from the terminal in the editor and saves it back', async () => {
    await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
    await page.keyboard.type('edit notes.yaml');
    await page.keyboard.press('Enter');
    await page
      .getByTestId('editor-file')
      .getByText(/Editing for the terminal: .*notes\.yaml/)
      .waitFor();
    await page.getByTestId('monaco').locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('greeting: hello');
    await page.keyboard.press('Enter');
    await shot(page, '12-edit-from-terminal');
    await page.getByTestId('edit-save').click();
    await runInTerminal(page, 'cat notes.yaml', /cat notes\.yaml\s*greeting: hello/);
  }, 60_000);

  it('reattaches the terminal with its scrollback after a reload, and speaks Brazilian Portuguese', async () => {
    await page.reload();
    // both sessions come back, with the tab that was in front (shell 1) in front again
    await page.getByRole('tab', { name: /shell 2/ }).waitFor();
    await page.waitForFunction(() =>
      /lab explain host/.test(
        document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? '',
      ),
    );
    await page.getByTestId('language').selectOption('pt-BR');
    expect(await page.getByTestId('center-topology').innerText()).toBe('Topologia');
    expect(await page.getByTestId('bottom-activity').innerText()).toBe('Tarefas e eventos');
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const first = await theme();
    await page.getByTestId('theme').click();
    expect(await theme()).toBe(first === 'dark' ? 'light' : 'dark');
    // keyboard: Ctrl+Shift+L switches the theme back, Ctrl+2 shows the editor, Ctrl+1 the topology
    await page.keyboard.press('Control+Shift+L');
    expect(await theme()).toBe(first);
    await page.keyboard.press('Control+Shift+L');
    await page.keyboard.press('Control+2');
    expect(await page.getByTestId('center-editor').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Control+1');
    expect(await page.getByTestId('center-topology').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('bottom-activity').click();
    await shot(page, '13-reloaded-pt-BR-other-theme');
    await page.getByTestId('language').selectOption('en');
  }, 60_000);

  it('says so when the lab goes away', async () => {
    await server.close();
    await page.getByTestId('connection').getByText('The connection to the lab was lost').waitFor();
    await shot(page, '14-connection-lost');
  }, 30_000);
});
