// `npm run bench -- ui`: the app in Debian's Chromium (browser mode), timed with the Performance API.
//  - from starting the server (`npm run lab -- serve`) to a usable prompt in the terminal;
//  - the topology painter in the big scenario's size (64 hosts, 1,000 VMs, 10,000 pods, a synthetic
//    model of that size drawn by the app's own canvas code): first render, scroll frames, and update
//    frames (a new model checked against the contract, laid out again and painted).
import { haveChromium, launch, serve, CHROMIUM } from '../e2e/browserMode';
import { figure, median, verdict } from './report';
import { bigTopology } from './uiModel';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

export default async function ui(): Promise<void> {
  if (!haveChromium) {
    console.log(`skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
    return;
  }
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // from starting the server to a prompt in the terminal: `npm start`'s browser mode (the prebuilt
    // CLI), then `npm run lab -- serve` (TypeScript through tsx)
    for (const [how, built] of [
      ['npm start (browser mode)', true],
      ['npm run lab -- serve', false],
    ] as const) {
      const t0 = performance.now();
      const s = await serve(['--speed', 'stepped'], { built });
      try {
        const served = performance.now() - t0;
        await page.goto(s.url);
        await page.waitForFunction(() =>
          /~ \$/.test(document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? ''),
        );
        const prompt = performance.now() - t0;
        figure(`${how}: server start to URL printed`, served, 'ms');
        figure(`${how}: server start to usable prompt (<= 2,000 ms)`, prompt, 'ms', verdict(prompt <= 2000));
      } finally {
        await s.close();
      }
    }
    const server = await serve(['--speed', 'stepped'], { built: true });
    try {
      await page.goto(server.url);
      await page.waitForFunction(() =>
        /~ \$/.test(document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? ''),
      );
      const nav = await page.evaluate(() => {
        const e = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return e.domContentLoadedEventEnd;
      });
      figure('page load to DOMContentLoaded', nav, 'ms', '', 1);
      const r = await page.evaluate(() => window.__supervisorLabTopology!.bench(64, 1000, 10000, 120));
      figure(
        'topology first render, 64 hosts/1,000 VMs/10,000 pods (<= 500 ms)',
        r.firstMs,
        'ms',
        verdict(r.firstMs <= 500),
        1,
      );
      figure('topology scroll frame, median', median(r.frames), 'ms', '', 2);
      figure(
        'topology scroll frame, p95 (<= 16 ms)',
        pct(r.frames, 0.95),
        'ms',
        verdict(pct(r.frames, 0.95) <= 16),
        2,
      );
      figure('topology scroll frame, max', Math.max(...r.frames), 'ms', '', 2);
      figure('topology update frame (layout + paint), median', median(r.updates), 'ms', '', 2);
      figure(
        'topology update frame, p95 (<= 16 ms)',
        pct(r.updates, 0.95),
        'ms',
        verdict(pct(r.updates, 0.95) <= 16),
        2,
      );
      figure('topology model check against the contract (zod), once', r.validateMs, 'ms', '', 1);
      // the same at the real big scenario: a lab running 64 hosts, 1,000 VMs and 10,000 vSphere Pods
      const big = await bigTopology();
      figure(
        `engine: lab of ${big.hosts} hosts/${big.vms} VMs/${big.pods} pods, topology view`,
        median(big.viewMs),
        'ms',
        'median of 5',
        1,
      );
      figure('engine: topology model on the wire', big.bytes / 2 ** 20, 'MB', '', 2);
      const real = await page.evaluate((json) => window.__supervisorLabTopology!.render(json), big.json);
      figure(
        'UI: that model checked, laid out and first painted (<= 500 ms)',
        real.firstMs,
        'ms',
        verdict(real.firstMs <= 500),
        1,
      );
      figure(
        'UI: its scroll frames, p95 (<= 16 ms)',
        pct(real.frames, 0.95),
        'ms',
        verdict(pct(real.frames, 0.95) <= 16),
        2,
      );
    } finally {
      await server.close();
    }
  } finally {
    await browser.close();
  }
}
