// What an API space answers on /version: the Supervisor its own Kubernetes version, a guest cluster the
// Kubernetes of the TKr its control plane runs (v1.21.6+vmware.1 for v1.21.6---vmware.1-tkg.1.b3d708a),
// built with the Go release that Kubernetes minor shipped with.
import { ApiClient } from '../../api/client';
import type { ApiServer } from '../../api/server';
import { systemUser } from '../../api/types';
import { tkcOfSpace } from '../supervisor/access';
import { SUPERVISOR_KUBERNETES_VERSION } from '../supervisor/version';
import { VCENTER } from '../vcenter/kinds';
import { supervisorVersionIn } from './catalogue';

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

/** A vSphere 8.0 Update 2 Supervisor's Kubernetes. */
const SUPERVISOR_8: KubernetesVersion = {
  ...SUPERVISOR_KUBERNETES_VERSION,
  minor: '26',
  gitVersion: 'v1.26.4+vmware.wcp.1',
  goVersion: GO[26]!,
};

export function kubernetesVersion(api: ApiServer, space: string): KubernetesVersion {
  const t = tkcOfSpace(space);
  if (!t || api.flavorOf(space) !== 'guest' || !api.hasApiSpace('supervisor')) {
    // the Supervisor's follows the vSphere release its hosts run
    const vsphere = api.hasApiSpace(VCENTER)
      ? supervisorVersionIn(new ApiClient(api, systemUser, VCENTER))
      : '7.0.3';
    return Number(vsphere.split('.')[0]) >= 8 ? SUPERVISOR_8 : SUPERVISOR_KUBERNETES_VERSION;
  }
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
