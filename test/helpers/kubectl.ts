// Runs the real kubectl (the oracle) against a lab served by the HTTPS endpoint. Asynchronous, so the
// endpoint in this same process keeps answering while kubectl waits.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../../main/sim/lab';
import { createShell } from '../../main/shell';
import { contextsFor, kubeconfig, mintToken } from '../../main/host/endpoint/kubeconfig';
import { startEndpoint, type Endpoint } from '../../main/host/endpoint/server';
import { labTls } from '../../main/host/endpoint/tls';

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
export const haveKubectl = existsSync(KUBECTL);

/** Says why a suite that compares with the real kubectl does not run here (`suite`: "the … suite"). */
export function warnSkipped(suite: string): void {
  if (!haveKubectl) console.warn(`SKIPPED: ${suite} needs kubectl at ${KUBECTL}; none is installed here.`);
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Served {
  endpoint: Endpoint;
  dir: string;
  kubeconfigPath: string;
  kubectl(args: string[], o?: { stdin?: string; env?: Record<string, string> }): Promise<KubectlResult>;
  /** Stops the endpoint and removes the kubeconfig's folder (the lab stays open). */
  close(): Promise<void>;
}

/** Serves the lab on a free loopback port and writes an administrator kubeconfig for it. */
export async function serveLab(lab: Lab, user = 'administrator@vsphere.local'): Promise<Served> {
  const tls = await labTls(lab.store, 'test');
  const endpoint = await startEndpoint(lab, tls, 0);
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-'));
  const { token } = mintToken(lab, { username: user, groups: ['system:authenticated'] });
  const kubeconfigPath = join(dir, 'config');
  writeFileSync(
    kubeconfigPath,
    kubeconfig({
      server: endpoint.url,
      caCert: tls.caCert,
      user,
      token,
      contexts: contextsFor(endpoint.url),
    }),
  );
  const kubectl = (args: string[], o: { stdin?: string; env?: Record<string, string> } = {}) =>
    new Promise<KubectlResult>((resolve) => {
      const child = execFile(
        KUBECTL,
        args,
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: dir,
            KUBECONFIG: kubeconfigPath,
            KUBECACHEDIR: join(dir, 'cache'),
            ...o.env,
          },
          timeout: 30_000,
        },
        (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (o.stdin !== undefined) child.stdin?.end(o.stdin);
    });
  const close = async () => {
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { endpoint, dir, kubeconfigPath, kubectl, close };
}

/** Runs a command line in the lab shell, capturing stdout and stderr apart: the lab's side of a comparison. */
export async function inApp(lab: Lab, line: string): Promise<KubectlResult> {
  let stdout = '';
  const session = createShell(lab, { write: (d) => (stdout += d), terminal: false });
  await session.runScript(`${line} 2> /tmp-stderr.txt`);
  const code = session.lastStatus;
  const stderr = session.workspace.read('/tmp-stderr.txt');
  session.workspace.remove('/tmp-stderr.txt');
  return { code, stdout, stderr };
}
