// Lab 1 completed through the labs panel, as a learner does it: browser mode on a fresh lab with the
// stepped clock (`npm run lab -- serve --speed stepped`) in Debian's Chromium. Open the catalogue, start
// lab 1, Check (it fails and names its hint), show a hint, reveal the solution and paste each command
// into the terminal, press Enter, and watch the automatic check pass the step; reload and resume at the
// step the learner is on; finish the lab; see it in Brazilian Portuguese; reset it to its starting
// scenario; then an exam attempt. Screenshots go to test/e2e/screenshots/ (labs-*.png).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, haveChromium, launch, serve, shot, type Served } from './browserMode';

if (!haveChromium)
  console.warn(
    `SKIPPED: the labs end-to-end test needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Waits until the terminal's rows, as a learner reads them, match. */
async function terminalShows(page: Page, re: RegExp, timeout = 30_000) {
  await page
    .waitForFunction(
      ([src, flags]) => {
        const el = document.querySelector<HTMLElement>('[data-testid="terminal"] .xterm-rows');
        return new RegExp(src!, flags).test(el?.innerText ?? '');
      },
      [re.source, re.flags],
      { timeout },
    )
    .catch(async (err: unknown) => {
      await shot(page, `labs-failed-${re.source.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 40)}`).catch(
        () => undefined,
      );
      throw err;
    });
}

/**
 * Pastes the solution's command `i` into the terminal with the panel's button, checks it waits at the
 * prompt (pasted, not run), then presses Enter and waits for `output` and the prompt after it.
 */
async function pasteAndRun(page: Page, i: number, output?: RegExp) {
  const command = await page.getByTestId('lab-solution').locator('pre').nth(i).innerText();
  const tail = command.trim().slice(-24);
  await page.getByTestId('lab-paste').nth(i).click();
  // at the prompt, not run: the line ends with the command (xterm may wrap a long one)
  await terminalShows(page, new RegExp(`~ \\$ [\\s\\S]*${escape(tail).replace(/ /g, '\\s*')}\\s*$`));
  await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
  await page.keyboard.press('Enter');
  if (output) await terminalShows(page, output);
  // the prompt is back after the command
  await terminalShows(page, new RegExp(`${escape(tail).replace(/ /g, '\\s*')}\\s*\\n[\\s\\S]*~ \\$\\s*$`));
}

const stepPassed = (page: Page) =>
  page.locator('[data-testid="lab-result"][data-passed="true"]').waitFor({ timeout: 30_000 });

describe.skipIf(!haveChromium)('lab 1 through the labs panel', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await serve(['--speed', 'stepped']);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(server.url);
    await terminalShows(page, /~ \$/);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the catalogue of ten labs, none started', async () => {
    await page.getByTestId('side-labs').click();
    const cards = page.getByTestId('lab-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(10);
    expect(await cards.first().innerText()).toContain(
      'Explore the inventory and enable Workload Management on NSX-T',
    );
    expect(await cards.first().getByTestId('lab-card-status').innerText()).toBe('Not started');
    await expect(page.getByTestId('lab-resume').count()).resolves.toBe(0);
    await shot(page, 'labs-01-catalogue');
  }, 60_000);

  it('opens lab 1 and starts it: the first step, whose Check fails and names its hint', async () => {
    await page.getByTestId('lab-card').first().click();
    await page.getByTestId('lab-view').getByText('A vSphere cluster becomes a').waitFor();
    await shot(page, 'labs-02-lab-1-intro');
    await page.getByTestId('lab-start').click();
    expect(await page.getByTestId('lab-step-title').innerText()).toBe('Explore the inventory');
    expect(await page.getByTestId('lab-step-text').innerText()).toContain(
      'govc ls /Datacenter/host/Workload-Cluster',
    );
    await page.getByTestId('lab-check').click();
    // the automatic check may have shown "Not yet" already: the hint comes with the learner's own Check
    const result = page.locator('[data-testid="lab-result"][data-passed="false"]');
    await result.locator('.lab-hint').waitFor();
    expect(await result.innerText()).toMatch(
      /Not yet\s+Hint: Run govc ls \/Datacenter\/host\/Workload-Cluster/,
    );
    // the checklist: no Supervisor yet passes, the commands not yet run fail
    await page.locator('[data-check="not-enabled-yet"][data-state="passed"]').waitFor();
    await page.locator('[data-check="listed-cluster"][data-state="failed"]').waitFor();
    await page.getByTestId('lab-hint-button').click();
    expect(await page.getByTestId('lab-hints').innerText()).toContain(
      'Hint 1: govc ls /Datacenter/host/Workload-Cluster lists the hosts and networks of the cluster.',
    );
    await shot(page, 'labs-03-check-failed-hint');
  }, 90_000);

  it('reveals the solution, pastes each command into the terminal to run, and the step passes by itself', async () => {
    await page.getByTestId('lab-solution-button').click();
    await page.getByTestId('lab-solution').waitFor();
    expect(await page.getByTestId('lab-paste').count()).toBe(3);
    await pasteAndRun(page, 0, /Workload-Cluster\/esxi-04\.lab\.local/);
    await pasteAndRun(page, 1, /k8s-gold/);
    await pasteAndRun(page, 2);
    await stepPassed(page);
    expect(await page.locator('[data-testid="lab-checks"] li[data-state="passed"]').count()).toBe(3);
    expect(await page.getByTestId('lab-progress').innerText()).toContain('1 of 3 steps done');
    await shot(page, 'labs-04-step-1-passed');
  }, 90_000);

  it('enables Workload Management on NSX-T from the pasted solution (step 2)', async () => {
    await page.getByTestId('lab-next').click();
    expect(await page.getByTestId('lab-step-title').innerText()).toBe('Enable Workload Management on NSX-T');
    await page.getByTestId('lab-solution-button').click();
    await page.getByTestId('lab-solution').waitFor();
    await pasteAndRun(page, 0);
    await stepPassed(page);
    await page.getByTestId('status-supervisor').getByText('CONFIGURING').waitFor();
    expect(await page.getByTestId('lab-progress').innerText()).toContain('2 of 3 steps done');
    await shot(page, 'labs-05-step-2-passed');
  }, 90_000);

  it('resumes at the step the learner is on after a reload', async () => {
    await page.reload();
    await terminalShows(page, /~ \$/);
    await page.getByTestId('side-labs').click();
    await page.getByTestId('lab-view').waitFor();
    expect(await page.getByTestId('lab-step-title').innerText()).toBe('Watch the control plane come up');
    expect(await page.getByTestId('lab-progress').innerText()).toContain('2 of 3 steps done');
    await shot(page, 'labs-06-resumed');
  }, 60_000);

  it('finishes the lab: the control plane comes up as lab time passes, and the catalogue shows it done', async () => {
    await page.getByTestId('lab-solution-button').click();
    await page.getByTestId('lab-solution').waitFor();
    expect(await page.getByTestId('lab-paste').count()).toBe(3);
    await pasteAndRun(page, 0);
    await pasteAndRun(page, 1, /RUNNING/);
    await pasteAndRun(page, 2, /esxi-04\.lab\.local +Ready +agent/);
    await stepPassed(page);
    await page.getByTestId('lab-done').waitFor();
    expect(await page.getByTestId('lab-progress').innerText()).toContain('Completed');
    await page.getByTestId('status-supervisor').getByText('RUNNING').waitFor();
    await shot(page, 'labs-07-lab-1-complete');
    await page.getByTestId('lab-back').click();
    await page
      .getByTestId('lab-card')
      .first()
      .getByTestId('lab-card-status')
      .getByText('✓ Completed')
      .waitFor();
    await shot(page, 'labs-08-catalogue-progress');
  }, 120_000);

  it('speaks Brazilian Portuguese', async () => {
    await page.getByTestId('language').selectOption('pt-BR');
    expect(await page.getByTestId('side-labs').innerText()).toBe('Labs');
    expect(await page.getByTestId('labs').getByText('Laboratórios guiados').count()).toBe(1);
    expect(await page.getByTestId('lab-card').first().getByTestId('lab-card-status').innerText()).toBe(
      '✓ Concluído',
    );
    await page.getByTestId('lab-card').first().click();
    expect(await page.getByTestId('lab-check').innerText()).toBe('Verificar');
    expect(await page.getByTestId('lab-reset').innerText()).toBe('Reiniciar o laboratório');
    await shot(page, 'labs-09-pt-BR');
    // and in the other theme
    await page.getByTestId('theme').click();
    await shot(page, 'labs-09-pt-BR-other-theme');
    await page.getByTestId('theme').click();
    await page.getByTestId('language').selectOption('en');
  }, 60_000);

  it('resets the lab to its starting scenario', async () => {
    await page.getByTestId('lab-reset').click();
    await page.getByTestId('lab-reset-yes').click();
    await page.getByTestId('lab-progress').getByText('0 of 3 steps done').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('lab-step-title').innerText()).toBe('Explore the inventory');
    await page.getByTestId('status-supervisor').getByText('not enabled').waitFor();
    await shot(page, 'labs-10-reset');
  }, 90_000);

  it('runs an exam attempt from the catalogue: tasks without hints, a clock, a score and a report per task', async () => {
    await page.getByTestId('lab-back').click();
    await page.getByTestId('exam-card').click();
    await page.getByTestId('exam-start').click();
    await page.getByTestId('exam-start-yes').click();
    const tasks = page.locator('[data-testid="exam-tasks"] > li');
    await tasks.first().waitFor({ timeout: 60_000 });
    expect(await tasks.count()).toBe(5);
    expect(await page.getByTestId('exam-clock').innerText()).toMatch(/^4[45]:\d\d left$/);
    // no hints, no solutions
    expect(await page.getByTestId('exam').getByRole('button').allInnerTexts()).toEqual([
      '← All labs',
      'Finish and grade',
    ]);
    await shot(page, 'labs-11-exam');
    await page.getByTestId('exam-finish').click();
    await page.getByTestId('exam-finish-yes').click();
    await page.getByTestId('exam-report').waitFor();
    expect(await page.getByTestId('exam-score').innerText()).toMatch(/^\d+ of \d+ points$/);
    expect(await page.locator('[data-testid="exam-report"] li[data-task]').count()).toBe(5);
    expect(await page.getByTestId('exam-history').locator('tr').count()).toBe(1);
    await shot(page, 'labs-12-exam-report');
  }, 120_000);
});
