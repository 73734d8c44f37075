// TanzuKubernetesCluster served as run.tanzu.vmware.com/v1alpha1 beside the stored v1alpha2: the
// conversion both ways (as the TKG Service's webhook does it), lossless round trips, and what a kubectl
// user sees of each version. The API part runs on an API server of its own (no TKGS admission or
// controllers), so only the conversion is under test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerCoreKinds } from '../../../main/api/kinds';
import { Registry } from '../../../main/api/registry';
import { ApiServer } from '../../../main/api/server';
import type { Table } from '../../../main/api/table';
import { systemUser, type KubeObject, type Status } from '../../../main/api/types';
import { apiGroup, resourceList } from '../../../main/host/endpoint/discovery';
import { createShell } from '../../../main/shell';
import type { Lab } from '../../../main/sim/lab';
import { SeededRandom } from '../../../main/sim/runtime/random';
import {
  RUN_GROUP,
  tanzuKubernetesClusterKind,
  tanzuKubernetesReleaseKind,
} from '../../../main/sim/tkgs/kinds';
import { tkcToV1alpha1, tkcToV1alpha2, V1ALPHA2_SPEC_ANNOTATION } from '../../../main/sim/tkgs/tkcV1alpha1';
import { Store } from '../../../main/store/store';
import { haveKubectl, inApp, serveLab, type Served } from '../../helpers/kubectl';
import { adminClient, newLab } from '../../helpers/lab';
import { defaultScenario, runningSupervisor } from '../../helpers/scenario';

const FULL = 'v1.21.6+vmware.1-tkg.1.b3d708a';
const TKR = 'v1.21.6---vmware.1-tkg.1.b3d708a';
const V1 = `${RUN_GROUP}/v1alpha1`;
const V2 = `${RUN_GROUP}/v1alpha2`;

const settings = {
  network: {
    cni: { name: 'antrea' },
    pods: { cidrBlocks: ['192.168.0.0/16'] },
    services: { cidrBlocks: ['10.96.0.0/12'] },
    serviceDomain: 'cluster.local',
  },
  storage: { classes: ['k8s-gold'], defaultClass: 'k8s-gold' },
};
const volumes = [{ name: 'containerd', mountPath: '/var/lib/containerd', capacity: { storage: '16Gi' } }];

const v1alpha1 = (spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: V1,
  kind: 'TanzuKubernetesCluster',
  metadata: { name: 'tkc-01', namespace: 'default' },
  spec,
  ...extra,
});
const v1alpha2 = (spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject => ({
  ...v1alpha1(spec, extra),
  apiVersion: V2,
});

const classicSpec = {
  topology: {
    controlPlane: { count: 3, class: 'best-effort-small', storageClass: 'k8s-gold' },
    workers: { count: 2, class: 'guaranteed-medium', storageClass: 'k8s-gold', volumes },
  },
  distribution: { version: 'v1.21', fullVersion: FULL },
  settings,
};

describe('TanzuKubernetesCluster conversion', () => {
  it('converts v1alpha1 to v1alpha2 as the TKG Service does, and back without loss', () => {
    const status = { phase: 'running', apiEndpoints: [{ host: '10.0.0.2', port: 6443 }] };
    const up = tkcToV1alpha2(v1alpha1(classicSpec, { status }));
    expect(up.apiVersion).toBe(V2);
    expect(up.spec).toEqual({
      topology: {
        controlPlane: {
          replicas: 3,
          vmClass: 'best-effort-small',
          storageClass: 'k8s-gold',
          tkr: { reference: { name: TKR } },
        },
        nodePools: [
          {
            name: 'workers',
            replicas: 2,
            vmClass: 'guaranteed-medium',
            storageClass: 'k8s-gold',
            volumes,
            tkr: { reference: { name: TKR } },
          },
        ],
      },
      distribution: { version: 'v1.21', fullVersion: FULL },
      settings,
    });
    expect(up.status).toEqual(status);
    const back = tkcToV1alpha1(up);
    expect(back).toEqual({ ...v1alpha1(classicSpec, { status }), metadata: { ...back.metadata } });
    expect(back.spec).toEqual(classicSpec);
    expect(back.metadata.annotations).toBeUndefined();
  });

  it('shows a v1alpha2 cluster in v1alpha1 (the workers pool, the TKr as full version) and keeps the rest in an annotation', () => {
    const spec = {
      topology: {
        controlPlane: {
          replicas: 1,
          vmClass: 'best-effort-small',
          storageClass: 'k8s-gold',
          tkr: { reference: { name: TKR } },
          nodeDrainTimeout: '5m',
        },
        nodePools: [
          {
            name: 'gpu',
            replicas: 1,
            vmClass: 'guaranteed-large',
            storageClass: 'k8s-gold',
            labels: { gpu: 'true' },
            taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }],
            tkr: { reference: { name: TKR } },
          },
          {
            name: 'workers',
            replicas: 3,
            vmClass: 'guaranteed-medium',
            storageClass: 'k8s-gold',
            tkr: { reference: { name: TKR } },
          },
        ],
      },
      settings,
    };
    const stored = v1alpha2(spec, { metadata: { name: 'tkc-01', namespace: 'default', labels: { a: 'b' } } });
    const down = tkcToV1alpha1(stored);
    expect(down.apiVersion).toBe(V1);
    expect(down.spec).toEqual({
      topology: {
        controlPlane: { count: 1, class: 'best-effort-small', storageClass: 'k8s-gold' },
        workers: { count: 3, class: 'guaranteed-medium', storageClass: 'k8s-gold' },
      },
      distribution: { fullVersion: FULL },
      settings,
    });
    expect(down.metadata.labels).toEqual({ a: 'b' });
    expect(JSON.parse(down.metadata.annotations![V1ALPHA2_SPEC_ANNOTATION]!)).toEqual({
      topology: spec.topology,
    });
    const again = tkcToV1alpha2(down);
    expect(again.spec).toEqual(spec);
    expect(again.metadata).toEqual(stored.metadata);
  });

  it('takes the first node pool for workers when none is named so', () => {
    const down = tkcToV1alpha1(
      v1alpha2({
        topology: {
          controlPlane: { replicas: 1, vmClass: 'a', storageClass: 's' },
          nodePools: [
            { name: 'np-1', replicas: 4, vmClass: 'b', storageClass: 's' },
            { name: 'np-2', replicas: 5, vmClass: 'c', storageClass: 's' },
          ],
        },
      }),
    );
    expect((down.spec as { topology: unknown }).topology).toEqual({
      controlPlane: { count: 1, class: 'a', storageClass: 's' },
      workers: { count: 4, class: 'b', storageClass: 's' },
    });
    expect(tkcToV1alpha2(down).spec).toEqual(
      v1alpha2({
        topology: {
          controlPlane: { replicas: 1, vmClass: 'a', storageClass: 's' },
          nodePools: [
            { name: 'np-1', replicas: 4, vmClass: 'b', storageClass: 's' },
            { name: 'np-2', replicas: 5, vmClass: 'c', storageClass: 's' },
          ],
        },
      }).spec,
    );
  });

  it('applies a change made in v1alpha1 to the pool it stands for, and an upgrade to every TKr', () => {
    const stored = v1alpha2({
      topology: {
        controlPlane: { replicas: 1, vmClass: 'a', storageClass: 's', tkr: { reference: { name: TKR } } },
        nodePools: [
          {
            name: 'workers',
            replicas: 2,
            vmClass: 'b',
            storageClass: 's',
            tkr: { reference: { name: TKR } },
          },
          { name: 'extra', replicas: 1, vmClass: 'c', storageClass: 's', tkr: { reference: { name: TKR } } },
        ],
      },
    });
    const down = tkcToV1alpha1(stored);
    const spec = down.spec as {
      topology: { workers: { count: number } };
      distribution: { fullVersion: string };
    };
    spec.topology.workers.count = 5;
    spec.distribution.fullVersion = 'v1.22.9+vmware.1-tkg.1.cc71bc8';
    const next = 'v1.22.9---vmware.1-tkg.1.cc71bc8';
    expect((tkcToV1alpha2(down).spec as { topology: unknown }).topology).toEqual({
      controlPlane: { replicas: 1, vmClass: 'a', storageClass: 's', tkr: { reference: { name: next } } },
      nodePools: [
        { name: 'workers', replicas: 5, vmClass: 'b', storageClass: 's', tkr: { reference: { name: next } } },
        { name: 'extra', replicas: 1, vmClass: 'c', storageClass: 's', tkr: { reference: { name: next } } },
      ],
    });
  });

  it('never throws on odd input', () => {
    const odd: unknown[] = [
      'spec',
      5,
      null,
      [],
      { topology: 'x' },
      { topology: { controlPlane: 5, workers: [], nodePools: 'y' } },
      { topology: { nodePools: [null, 3, { name: 7 }] }, distribution: { fullVersion: 42 } },
      { topology: { controlPlane: { tkr: { reference: 'z' } } }, distribution: [] },
    ];
    for (const spec of odd) {
      for (const annotation of [undefined, '{not json', '[]', '{"topology":5,"distribution":"x"}']) {
        const metadata =
          annotation === undefined ? {} : { annotations: { [V1ALPHA2_SPEC_ANNOTATION]: annotation } };
        const o = { apiVersion: V1, kind: 'TanzuKubernetesCluster', metadata, spec } as KubeObject;
        expect(() => tkcToV1alpha2(o)).not.toThrow();
        expect(() => tkcToV1alpha1(o)).not.toThrow();
      }
    }
    expect(() =>
      tkcToV1alpha1({ apiVersion: V2, kind: 'TanzuKubernetesCluster' } as KubeObject),
    ).not.toThrow();
  });
});

describe('TanzuKubernetesCluster in both versions through the API', () => {
  let api: ApiServer;
  const NS = '/namespaces/default/tanzukubernetesclusters';
  const req = (method: string, path: string, body?: unknown, extra: Record<string, unknown> = {}) =>
    api.handle({ method, path, body, user: systemUser, cluster: 'supervisor', ...extra });
  beforeEach(() => {
    const registry = new Registry();
    registerCoreKinds(registry);
    registry.register(tanzuKubernetesClusterKind);
    registry.register(tanzuKubernetesReleaseKind);
    api = new ApiServer({
      store: new Store(':memory:'),
      registry,
      clock: { now: () => new Date(Date.UTC(2026, 0, 5, 9, 0, 0)) },
      random: new SeededRandom('tkc'),
    });
    api.addApiSpace('supervisor', 'supervisor');
  });
  afterEach(() => {
    api.dispose();
    api.store.close();
  });

  it('creates from a v1alpha1 manifest, stores v1alpha2, and prints each version with its own columns', () => {
    const created = req('POST', `/apis/${V1}${NS}`, v1alpha1(classicSpec), {
      query: { fieldValidation: 'Strict' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ apiVersion: V1, spec: classicSpec });
    const stored = req('GET', `/apis/${V2}${NS}/tkc-01`).body as KubeObject;
    expect(stored.spec).toMatchObject({
      topology: {
        controlPlane: { replicas: 3, tkr: { reference: { name: TKR } } },
        nodePools: [{ name: 'workers' }],
      },
    });
    const status = {
      phase: 'running',
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'TanzuKubernetesReleaseCompatible', status: 'True' },
        { type: 'UpdatesAvailable', status: 'True', message: '[1.22.9+vmware.1-tkg.1.cc71bc8]' },
      ],
      totalWorkerReplicas: 2,
    };
    expect(req('PUT', `/apis/${V2}${NS}/tkc-01/status`, { ...stored, status }).status).toBe(200);
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io';
    const t1 = req('GET', `/apis/${V1}${NS}`, undefined, { accept }).body as Table;
    expect(t1.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Control Plane',
      'Worker',
      'Distribution',
      'Age',
      'Phase',
      'TKR Compatible',
      'Updates Available',
    ]);
    expect(t1.rows[0]!.cells).toEqual([
      'tkc-01',
      3,
      2,
      FULL,
      '0s',
      'running',
      'True',
      '[1.22.9+vmware.1-tkg.1.cc71bc8]',
    ]);
    const t2 = req('GET', `/apis/${V2}${NS}`, undefined, { accept }).body as Table;
    expect(t2.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Control Plane',
      'Worker',
      'TKR Name',
      'Age',
      'Ready',
      'TKR Compatible',
      'Updates Available',
    ]);
    expect((req('GET', `/apis/${V1}${NS}/tkc-01`).body as KubeObject).status).toEqual(status);
  });

  it('refuses a v1alpha1 typo or a missing v1alpha1 field with the v1alpha1 field path, writing nothing', () => {
    const typo = v1alpha1({
      ...classicSpec,
      topology: { ...classicSpec.topology, workers: { count: 2, clas: 'x', storageClass: 'k8s-gold' } },
    });
    const strict = req('POST', `/apis/${V1}${NS}`, typo, { query: { fieldValidation: 'Strict' } });
    expect(strict.status).toBe(400);
    expect((strict.body as Status).message).toBe(
      'TanzuKubernetesCluster in version "v1alpha1" cannot be handled as a TanzuKubernetesCluster: strict decoding error: unknown field "spec.topology.workers.clas"',
    );
    const missing = req('POST', `/apis/${V1}${NS}`, typo, { query: { fieldValidation: 'Ignore' } });
    expect(missing.status).toBe(422);
    expect((missing.body as Status).details?.causes).toEqual([
      { field: 'spec.topology.workers.class', reason: 'FieldValueRequired', message: 'Required value' },
    ]);
    expect(req('GET', `/apis/${V2}${NS}`).body).toMatchObject({ items: [] });
  });

  it('lists both versions in discovery, v1alpha2 preferred', () => {
    const group = apiGroup(api.registry, 'supervisor', RUN_GROUP);
    expect(group?.versions.map((v) => v.version)).toEqual(['v1alpha2', 'v1alpha1']);
    expect(group?.preferredVersion.version).toBe('v1alpha2');
    expect(
      resourceList(api.registry, 'supervisor', RUN_GROUP, 'v1alpha1')?.resources.map((r) => r.name),
    ).toEqual([
      'tanzukubernetesclusters',
      'tanzukubernetesclusters/status',
      'tanzukubernetesreleases',
      'tanzukubernetesreleases/status',
    ]);
  });
});

describe('TanzuKubernetesCluster versions in the lab shell', () => {
  let lab: Lab;
  let served: Served | undefined;
  beforeEach(() => {
    lab = newLab();
    // stored as the TKG Service keeps it, without going through its admission
    const kind = lab.registry.byKind(RUN_GROUP, 'TanzuKubernetesCluster')!;
    lab.store.transaction(() =>
      lab.api.objects.put(
        kind,
        'supervisor',
        {
          ...tkcToV1alpha2(v1alpha1(classicSpec)),
          metadata: {
            name: 'tkc-01',
            namespace: 'default',
            uid: '6b1c2a6e-0f5a-4f0e-9c53-6e1f2d3c4b5a',
            creationTimestamp: '2026-01-05T08:00:00Z',
            generation: 1,
          },
          status: { phase: 'running', totalWorkerReplicas: 2 },
        },
        undefined,
      ),
    );
    lab.api.flush();
  });
  afterEach(async () => {
    await served?.close();
    served = undefined;
    lab.close();
  });

  it('gets, explains and discovers both versions as kubectl does', async () => {
    // (the trailing blanks of the empty last columns left out)
    const get = async (line: string) => (await inApp(lab, line)).stdout.replace(/ +\n/g, '\n');
    expect(await get('kubectl get tkc')).toBe(
      'NAME     CONTROL PLANE   WORKER   TKR NAME                           AGE   READY   TKR COMPATIBLE   UPDATES AVAILABLE\n' +
        `tkc-01   3               2        ${TKR}   60m\n`,
    );
    expect(await get('kubectl get tanzukubernetesclusters.v1alpha1.run.tanzu.vmware.com')).toBe(
      'NAME     CONTROL PLANE   WORKER   DISTRIBUTION                     AGE   PHASE     TKR COMPATIBLE   UPDATES AVAILABLE\n' +
        `tkc-01   3               2        ${FULL}   60m   running\n`,
    );
    expect((await inApp(lab, 'kubectl api-versions | grep run.tanzu')).stdout).toBe(`${V1}\n${V2}\n`);
    expect(
      (await inApp(lab, 'kubectl api-resources --api-group=run.tanzu.vmware.com -o wide | head -n 3')).stdout,
    ).toContain(`tkc          ${V2}`);
    const explained = await inApp(lab, `kubectl explain tkc.spec.topology --api-version=${V1}`);
    expect(explained.stdout).toContain('VERSION:    v1alpha1\n');
    expect(explained.stdout).toContain('  workers\t<Object> -required-\n');
  });

  it.skipIf(!haveKubectl)('prints what the real kubectl prints', async () => {
    served = await serveLab(lab);
    for (const line of [
      'get tkc',
      'get tkc.v1alpha1.run.tanzu.vmware.com',
      'get tanzukubernetesclusters.v1alpha1.run.tanzu.vmware.com tkc-01 -o yaml',
      `explain tkc --api-version=${V1}`,
      `explain tkc.spec.topology.workers --api-version=${V1}`,
      'api-resources --api-group=run.tanzu.vmware.com',
    ]) {
      const real = await served.kubectl(line.split(' '));
      const ours = await inApp(lab, `kubectl ${line}`);
      expect({ line, ...ours }).toEqual({ line, ...real });
    }
  });
});

describe('a v1alpha1 manifest applied on a Supervisor', () => {
  let lab: Lab;
  afterEach(() => lab?.close());

  it('goes to v1alpha1, through the TKG Service webhooks, and reads back in both versions', async () => {
    lab = newLab({ scenario: defaultScenario() });
    runningSupervisor(lab);
    const session = createShell(lab, { write: () => {}, terminal: false });
    const run = async (line: string) => {
      await session.runScript(`${line} > /out.txt 2> /err.txt`);
      return {
        status: session.lastStatus,
        out: session.workspace.read('/out.txt'),
        err: session.workspace.read('/err.txt'),
      };
    };
    await run(
      'govc namespace.create -cluster Workload-Cluster -storage k8s-gold -vmclass best-effort-small -vmclass guaranteed-medium demo',
    );
    const manifest = (workers: string) => `apiVersion: run.tanzu.vmware.com/v1alpha1
kind: TanzuKubernetesCluster
metadata:
  name: tkc-01
  namespace: demo
spec:
  topology:
    controlPlane:
      count: 1
      class: best-effort-small
      storageClass: k8s-gold
    workers:
      count: 2
      ${workers}: guaranteed-medium
      storageClass: k8s-gold
  distribution:
    version: v1.21
`;
    session.workspace.write('/typo.yaml', manifest('clas'));
    const typo = await run('kubectl apply -f typo.yaml');
    expect(typo.status).toBe(1);
    expect(typo.err).toBe(
      'Error from server (BadRequest): error when creating "typo.yaml": TanzuKubernetesCluster in version "v1alpha1" cannot be handled as a TanzuKubernetesCluster: strict decoding error: unknown field "spec.topology.workers.clas"\n',
    );
    session.workspace.write('/tkc.yaml', manifest('class'));
    expect(await run('kubectl apply -f tkc.yaml')).toMatchObject({
      status: 0,
      out: 'tanzukubernetescluster.run.tanzu.vmware.com/tkc-01 created\n',
    });
    const stored = adminClient(lab).get('tkc', 'demo', 'tkc-01');
    expect(stored.apiVersion).toBe(V2);
    const topology = (stored.spec as { topology: { controlPlane: { tkr: unknown }; nodePools: unknown[] } })
      .topology;
    expect(topology.nodePools).toMatchObject([
      { name: 'workers', replicas: 2, vmClass: 'guaranteed-medium' },
    ]);
    const tkr = (topology.controlPlane.tkr as { reference: { name: string } }).reference.name;
    expect(tkr).toMatch(/^v1\.21\.\d+---vmware\.\d+-tkg\.\d+/);
    const v1 = await run(
      // (a short name would drop the version, as kubectl does: the plural keeps it)
      "kubectl get tanzukubernetesclusters.v1alpha1.run.tanzu.vmware.com tkc-01 -n demo -o jsonpath='{.spec.distribution.fullVersion} {.spec.topology.workers.count}'",
    );
    expect(v1.out).toBe(`${tkr.replace('---', '+')} 2`);
    // applied again unchanged, in v1alpha1: nothing to do
    expect((await run('kubectl apply -f tkc.yaml')).out).toBe(
      'tanzukubernetescluster.run.tanzu.vmware.com/tkc-01 unchanged\n',
    );
    // it comes up as any cluster does, and v1alpha1's columns say so
    for (let i = 0; i < 15; i++) lab.advance(60_000);
    expect(
      (await run('kubectl get tanzukubernetesclusters.v1alpha1.run.tanzu.vmware.com -n demo --no-headers'))
        .out,
    ).toMatch(
      new RegExp(`^tkc-01 +1 +2 +${tkr.replace('---', '\\+').replace(/\./g, '\\.')} +15m +running +True +`),
    );
    expect((await run('kubectl wait tkc/tkc-01 -n demo --for=condition=Ready --timeout=1s')).out).toBe(
      'tanzukubernetescluster.run.tanzu.vmware.com/tkc-01 condition met\n',
    );
  });
});
