// The kinds every Kubernetes API space serves. vSphere, VM Operator, TKGS and Cluster API kinds are
// registered by the issues that bring them.
import type { Registry } from '../registry';
import { deploymentKind, replicaSetKind } from './apps';
import { configMapKind, eventKind, namespaceKind, secretKind, serviceAccountKind, serviceKind } from './core';
import { selfSubjectAccessReviewKind } from './authorization';
import { nodeKind } from './node';
import { podKind } from './pod';

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
    selfSubjectAccessReviewKind,
  ]) {
    registry.register(k);
  }
}
