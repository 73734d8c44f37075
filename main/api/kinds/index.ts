// The kinds every Kubernetes API space serves. vSphere, VM Operator, TKGS and Cluster API kinds are
// registered by the issues that bring them.
import type { Registry } from '../registry';
import { deploymentKind, replicaSetKind, statefulSetKind } from './apps';
import { jobKind } from './batch';
import {
  configMapKind,
  endpointsKind,
  eventKind,
  namespaceKind,
  persistentVolumeClaimKind,
  secretKind,
  serviceAccountKind,
  serviceKind,
} from './core';
import { selfSubjectAccessReviewKind } from './authorization';
import { nodeKind } from './node';
import { persistentVolumeKind } from './persistentvolume';
import { podKind } from './pod';
import { rbacKinds } from './rbac';
import { limitRangeKind, resourceQuotaKind } from './quota';
import { storageClassKind } from './storage';

export function registerCoreKinds(registry: Registry): void {
  for (const k of [
    namespaceKind,
    nodeKind,
    podKind,
    configMapKind,
    secretKind,
    serviceAccountKind,
    serviceKind,
    eventKind,
    deploymentKind,
    replicaSetKind,
    statefulSetKind,
    jobKind,
    persistentVolumeClaimKind,
    persistentVolumeKind,
    endpointsKind,
    selfSubjectAccessReviewKind,
    resourceQuotaKind,
    limitRangeKind,
    storageClassKind,
    ...rbacKinds,
  ]) {
    registry.register(k);
  }
}
