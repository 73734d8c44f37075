#!/usr/bin/env node
// supervisor-lab: the lab's command line — serve, shell, kubeconfig — the same as `npm run lab -- …`.
// `npm link` (or `npx supervisor-lab` inside the repository) puts it on PATH.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/host/cli.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
