// The Kubernetes version the Supervisor's API server reports on /version: what a vSphere 7.0 Update 3
// Supervisor ran. The HTTPS endpoint serves it and the lab shell's `kubectl version` prints it.
export const SUPERVISOR_KUBERNETES_VERSION = {
  major: '1',
  minor: '21',
  gitVersion: 'v1.21.0+vmware.wcp.2',
  gitCommit: 'supervisor-lab',
  gitTreeState: 'clean',
  buildDate: '2022-06-01T00:00:00Z',
  goVersion: 'go1.16.15',
  compiler: 'gc',
  platform: 'linux/amd64',
} as const;
