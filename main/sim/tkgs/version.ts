// What an API space answers on /version: the Supervisor its own Kubernetes version, a guest cluster the
// Kubernetes of the TKr its control plane runs (v1.21.6+vmware.1 for v1.21.6---vmware.1-tkg.1.b3d708a),
// built with the Go release that Kubernetes minor shipped with.
import { ApiClient } from '../../api/client';
import type { ApiServer } from '../../api/server';
import { systemUser } from '../../api/types';
import { tkcOfSpace } from '../supervisor/access';
import { SUPERVISOR_KUBERNETES_VERSION } from '../supervisor/version';

export type KubernetesVersion = Omit<
  typeof SUPERVISOR_KUBERNETES_VERSION,
  'major' | 'minor' | 'gitVersion' | 'goVersion'
> & {
  major: string;
  minor: string;
  gitVersion: string;
  goVersion: string;
};

/** The Go each Kubernetes minor was built with. */
const GO: Record<number, string> = {
  20: 'go1.15.15',
  21: 'go1.16.15',
  22: 'go1.16.15',
  23: 'go1.17.13',
  24: 'go1.19.8',
  25: 'go1.19.10',
  26: 'go1.20.5',
};

export function kubernetesVersion(api: ApiServer, space: string): KubernetesVersion {
  const t = tkcOfSpace(space);
  if (!t || api.flavorOf(space) !== 'guest' || !api.hasApiSpace('supervisor'))
    return SUPERVISOR_KUBERNETES_VERSION;
  const tkc = new ApiClient(api, systemUser, 'supervisor').tryGet(
    'tanzukubernetesclusters.run.tanzu.vmware.com',
    t.namespace,
    t.name,
  );
  const tkr = (
    tkc?.spec as { topology?: { controlPlane?: { tkr?: { reference?: { name?: string } } } } } | undefined
  )?.topology?.controlPlane?.tkr?.reference?.name;
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:---|\+)(vmware\.\d+)/.exec(tkr ?? '');
  if (!m) return SUPERVISOR_KUBERNETES_VERSION;
  const minor = Number(m[2]);
  return {
    ...SUPERVISOR_KUBERNETES_VERSION,
    major: m[1]!,
    minor: m[2]!,
    gitVersion: `v${m[1]}.${m[2]}.${m[3]}+${m[4]}`,
    goVersion: GO[minor] ?? 'go1.20.5',
  };
}
