// Supervisor control-plane VM sizes (vCenter's SizingHint) and the Kubernetes versions a vSphere 7.0 U3
// Supervisor reports.

export const controlPlaneSizes = {
  TINY: { numCPUs: 2, memoryMB: 8 * 1024, maxPods: 1000 },
  SMALL: { numCPUs: 4, memoryMB: 16 * 1024, maxPods: 2000 },
  MEDIUM: { numCPUs: 8, memoryMB: 24 * 1024, maxPods: 4000 },
  LARGE: { numCPUs: 16, memoryMB: 32 * 1024, maxPods: 8000 },
} as const;

export type SupervisorSize = keyof typeof controlPlaneSizes;

export const CONTROL_PLANE_KUBELET_VERSION = 'v1.21.0+vmware.wcp.2';
export const SPHERELET_VERSION = 'v1.21.0-sph-a2f9b1c';
export const CONTROL_PLANE_OS = 'VMware Photon OS/Linux';
export const CONTROL_PLANE_COUNT = 3;

export const controlPlaneVmName = (i: number): string => `SupervisorControlPlaneVM (${i})`;
