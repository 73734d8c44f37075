import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../main/sim/lab';
import { adminClient, newLab } from '../helpers/lab';
import { haveKubectl, inApp, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { defaultScenario, runningSupervisor, vsphereNamespace } from '../helpers/scenario';

warnSkipped('the differential suite of Services and volumes');

const claim = (name: string, size: string, cls: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'demo', labels: { app: 'db' } },
  spec: { storageClassName: cls, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
});

/** Lab time from the objects' creation to the tests: ages in hours, as the real kubectl's describe reads them on the wall clock. */
const SETTLE = 3 * 3_600_000 + 90_000;

/** A Supervisor with Services of every type and claims bound, pending and failing; a static volume. */
function fixture(lab: Lab): void {
  runningSupervisor(lab);
  vsphereNamespace(lab, 'demo');
  const c = adminClient(lab);
  const svc = (name: string, type: string, extra: Record<string, unknown> = {}) =>
    c.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'demo' },
      spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...extra },
    });
  svc('web', 'LoadBalancer');
  svc('api', 'NodePort');
  svc('db', 'ClusterIP', { clusterIP: 'None' });
  svc('ext', 'ExternalName', { externalName: 'example.com', selector: undefined });
  c.create(claim('data', '2Gi', 'k8s-gold'));
  c.create(claim('logs', '500Mi', 'k8s-gold'));
  c.create(claim('lost', '1Gi', 'platinum'));
  c.create({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'static-nfs', labels: { tier: 'shared' } },
    spec: {
      capacity: { storage: '100Gi' },
      accessModes: ['ReadWriteMany', 'ReadOnlyMany'],
      persistentVolumeReclaimPolicy: 'Retain',
      nfs: { server: 'nfs.lab.local', path: '/exports/shared' },
    },
  });
  lab.advance(SETTLE);
  svc('late', 'LoadBalancer');
  lab.settle();
}

describe.skipIf(!haveKubectl)(
  'Services, claims and volumes read by the lab shell and by the real kubectl',
  () => {
    let lab: Lab;
    let s: Served;
    beforeAll(async () => {
      // lab time ends the setup where the wall clock is, so the event ages describe computes agree
      const start = Math.floor(Date.now() / 1000) * 1000 - 20 * 60_000 - SETTLE;
      lab = newLab({ scenario: defaultScenario(), start });
      fixture(lab);
      s = await serveLab(lab);
    });
    afterAll(async () => {
      await s?.close();
      lab?.close();
    });

    const corpus = [
      'get svc,pvc,pv -n demo',
      'get svc -n demo -o wide',
      'get pvc -n demo -o wide',
      'get pvc -n demo --show-labels',
      'get pv',
      'get pv -o wide',
      'get pv -o name',
      'get persistentvolumes static-nfs -o yaml',
      'get pv static-nfs -o json',
      'get pvc data -n demo -o yaml',
      'get svc web -n demo -o yaml',
      'get svc late -n demo',
      'get pv nope',
      'get pv -l tier=shared',
      'api-resources --api-group= --namespaced=false',
      'explain pv',
      'explain pv.spec.csi',
      'explain persistentvolume.status.phase',
      'describe pvc data -n demo',
      'describe pv static-nfs',
      'describe pv',
      'describe pvc logs -n demo',
      'describe svc web -n demo',
    ];

    for (const line of corpus) {
      it(`kubectl ${line}`, async () => {
        const argv = line.match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ''));
        const real = await s.kubectl(argv);
        const ours = await inApp(lab, `kubectl ${line}`);
        expect({ code: ours.code, stdout: ours.stdout, stderr: ours.stderr }).toEqual({
          code: real.code,
          stdout: real.stdout,
          stderr: real.stderr,
        });
      });
    }
  },
);
