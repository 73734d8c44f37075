// How long things take, in lab time: one table, so tuning realism means editing data (KWOK's stages).
// Figures are typical of a small vSphere 7.0 U3 lab.

export const lifecycle = {
  /** OVF deploy of a Supervisor control-plane VM from the vCenter appliance's image */
  supervisorVmDeploy: 180_000,
  /** clone of a VM from a content-library template (VM Service, TKC nodes) */
  vmClone: 60_000,
  /** power-on until the guest OS reports in */
  vmPowerOn: 30_000,
  /** Kubernetes control plane up on the three Supervisor VMs, once all are powered on */
  supervisorControlPlaneInit: 240_000,
  /** Spherelet VIB installed and the host joined as a node */
  sphereletInstall: 90_000,
  /** vMotion of a running VM between hosts */
  vMotion: 20_000,
  /** HA notices a failed host and restarts its VMs elsewhere after this long */
  haRestartDelay: 30_000,
  /** DRS load-balancing pass interval */
  drsInterval: 300_000,
  /** Workload Management disable: removal of the control plane and Spherelets */
  supervisorRemove: 120_000,
  /** the embedded Harbor registry initialises (database schema, core, job service) once its pods all run */
  harborInit: 180_000,
  /** a vSphere Pod's CRX VM created by the Spherelet on its host */
  crxCreate: 500,
  /** a CRX boots its paravirtualised kernel directly: a vSphere Pod starts almost as fast as a container */
  crxBoot: 1_000,
  /** a container created and started once its image is on the host */
  containerStart: 500,
  /** ImagePullBackOff doubles from this, up to crashBackOffMax */
  imagePullBackOff: 10_000,
  /** CrashLoopBackOff doubles from this, up to crashBackOffMax */
  crashBackOff: 10_000,
  crashBackOffMax: 300_000,
  /** a Spherelet node that stopped posting status turns NotReady after this (node-monitor-grace-period) */
  nodeMonitorGrace: 40_000,
  /** pods on a NotReady node are evicted after this (the default not-ready toleration) */
  podEvictionTimeout: 300_000,
  /** a Service of type LoadBalancer gets its virtual server (NSX-T load balancer, HAProxy, Avi) */
  loadBalancerEnsure: 3_000,
  /** CNS creates a block volume (a first-class disk) on a datastore for a PersistentVolumeClaim */
  cnsVolumeCreate: 2_000,
  /** the persistent volume controller resyncs an unbound claim this often (pvclaimbinder-sync-period) */
  claimResync: 15_000,
} as const;

export type LifecycleStep = keyof typeof lifecycle;
