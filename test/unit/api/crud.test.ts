import { afterEach, describe, expect, it } from 'vitest';
import { systemUser } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab, pod } from '../../helpers/lab';

let lab: Lab;
afterEach(() => lab?.close());

const req = (method: string, path: string, body?: unknown, extra: Record<string, unknown> = {}) =>
  lab.api.handle({ method, path, body, user: systemUser, cluster: 'supervisor', ...extra });

describe('create and get', () => {
  it('creates an object with server-set metadata and returns 201', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces/default/pods', pod('web'));
    expect(res.status).toBe(201);
    const body = res.body as { metadata: Record<string, unknown>; status: { phase: string } };
    expect(body.metadata.uid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(body.metadata.creationTimestamp).toBe('2026-01-05T09:00:00Z');
    expect(Number(body.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(body.status.phase).toBe('Pending');
    expect(req('GET', '/api/v1/namespaces/default/pods/web').body).toEqual(body);
  });

  it('answers a missing object with a NotFound Status', () => {
    lab = newLab();
    const res = req('GET', '/api/v1/namespaces/default/pods/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'pods "nope" not found',
    });
  });

  it('refuses a second object of the same name with AlreadyExists and keeps the first', () => {
    lab = newLab();
    const first = req('POST', '/api/v1/namespaces/default/pods', pod('web')).body as {
      metadata: { uid: string };
    };
    const res = req('POST', '/api/v1/namespaces/default/pods', pod('web'));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ reason: 'AlreadyExists', message: 'pods "web" already exists' });
    expect(
      (req('GET', '/api/v1/namespaces/default/pods/web').body as { metadata: { uid: string } }).metadata.uid,
    ).toBe(first.metadata.uid);
  });

  it('generates a name from generateName with a random suffix', () => {
    lab = newLab();
    const body = { ...pod(''), metadata: { generateName: 'web-', namespace: 'default' } };
    const a = req('POST', '/api/v1/namespaces/default/pods', body).body as { metadata: { name: string } };
    const b = req('POST', '/api/v1/namespaces/default/pods', body).body as { metadata: { name: string } };
    expect(a.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(b.metadata.name).not.toBe(a.metadata.name);
  });

  it('validates names as DNS-1123 and reports every field error as a cause', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces/default/pods', {
      ...pod('Bad_Name'),
      spec: { containers: [{ name: 'c' }] },
    });
    expect(res.status).toBe(422);
    const status = res.body as { reason: string; message: string; details: { causes: { field: string }[] } };
    expect(status.reason).toBe('Invalid');
    expect(status.message).toContain(
      'Pod "Bad_Name" is invalid: [metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain',
    );
    expect(status.details.causes.map((c) => c.field)).toEqual(['metadata.name', 'spec.containers[0].image']);
    expect(req('GET', '/api/v1/namespaces/default/pods').body).toMatchObject({ items: [] });
  });

  it('uses DNS-1123 labels for namespaces', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces', { metadata: { name: 'a.b' } });
    expect(res.status).toBe(422);
    expect((res.body as { message: string }).message).toContain('a lowercase RFC 1123 label must consist of');
  });

  it('reports schema type errors with the field path', () => {
    lab = newLab();
    const res = req('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'd' },
      spec: {
        replicas: 'three',
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    expect(res.status).toBe(422);
    expect((res.body as { message: string }).message).toBe(
      'Deployment.apps "d" is invalid: spec.replicas: Invalid value: "three": spec.replicas in body must be of type integer: "three"',
    );
  });

  it('refuses a create into a namespace that does not exist', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces/ghost/pods', pod('web', 'ghost'));
    expect(res.status).toBe(404);
    expect((res.body as { message: string }).message).toBe('namespaces "ghost" not found');
  });

  it('refuses a body whose namespace disagrees with the URL', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces/default/pods', pod('web', 'kube-system'));
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  it('refuses a resourceVersion on create', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces/default/pods', {
      ...pod('web'),
      metadata: { name: 'web', resourceVersion: '7' },
    });
    expect(res).toMatchObject({
      status: 400,
      body: { message: 'resourceVersion should not be set on objects to be created' },
    });
  });

  it('applies defaults from the kind: imagePullPolicy by tag, restartPolicy, protocol', () => {
    lab = newLab();
    const c = adminClient(lab);
    const p = c.create({
      ...pod('web'),
      spec: {
        containers: [
          { name: 'a', image: 'busybox', ports: [{ containerPort: 80 }] },
          { name: 'b', image: 'nginx:1.25' },
        ],
      },
    });
    const spec = p.spec as {
      restartPolicy: string;
      containers: { imagePullPolicy: string; ports?: { protocol: string }[] }[];
    };
    expect(spec.restartPolicy).toBe('Always');
    expect(spec.containers[0]!.imagePullPolicy).toBe('Always');
    expect(spec.containers[0]!.ports![0]!.protocol).toBe('TCP');
    expect(spec.containers[1]!.imagePullPolicy).toBe('IfNotPresent');
  });

  it('turns a Secret’s stringData into base64 data', () => {
    lab = newLab();
    const s = adminClient(lab).create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      stringData: { password: 'VMware1!' },
    });
    expect(s.data).toEqual({ password: Buffer.from('VMware1!').toString('base64') });
    expect(s.stringData).toBeUndefined();
    expect(s.type).toBe('Opaque');
  });

  it('serves dry runs without storing anything', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces/default/pods', pod('web'), { query: { dryRun: 'All' } });
    expect(res.status).toBe(201);
    expect(req('GET', '/api/v1/namespaces/default/pods/web').status).toBe(404);
  });

  it('answers unknown paths and resources with 404 and unknown methods with 405', () => {
    lab = newLab();
    expect(req('GET', '/api/v1/namespaces/default/widgets').status).toBe(404);
    expect(req('GET', '/apis/apps/v2/deployments').status).toBe(404);
    expect(req('GET', '/nonsense').status).toBe(404);
    expect(req('PUT', '/api/v1/namespaces/default/pods').status).toBe(405);
    expect(
      lab.api.handle({ method: 'GET', path: '/api/v1/pods', user: systemUser, cluster: 'tkc-nope' }).status,
    ).toBe(404);
  });

  it('keeps each API space separate', () => {
    lab = newLab();
    lab.api.addApiSpace('tkc-1', 'guest');
    adminClient(lab, 'tkc-1').create(pod('web'));
    expect(adminClient(lab, 'tkc-1').get('pods', 'default', 'web').metadata.name).toBe('web');
    expect(adminClient(lab).tryGet('pods', 'default', 'web')).toBeUndefined();
  });
});

describe('unknown fields', () => {
  const withExtra = () => ({
    ...pod('web'),
    spec: { containers: [{ name: 'c', image: 'nginx', colour: 'blue' }], speed: 9 },
  });

  it('Strict refuses them with BadRequest naming each field', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces/default/pods', withExtra(), {
      query: { fieldValidation: 'Strict' },
    });
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].colour", unknown field "spec.speed"',
    );
    expect(req('GET', '/api/v1/namespaces/default/pods/web').status).toBe(404);
  });

  it('Warn drops them and says so in warnings', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces/default/pods', withExtra(), {
      query: { fieldValidation: 'Warn' },
    });
    expect(res.status).toBe(201);
    expect(res.warnings).toEqual(['unknown field "spec.containers[0].colour"', 'unknown field "spec.speed"']);
    expect((res.body as { spec: Record<string, unknown> }).spec.speed).toBeUndefined();
  });

  it('Ignore drops them silently', () => {
    lab = newLab();
    const res = req('POST', '/api/v1/namespaces/default/pods', withExtra(), {
      query: { fieldValidation: 'Ignore' },
    });
    expect(res.status).toBe(201);
    expect(res.warnings).toEqual([]);
  });
});

describe('reads', () => {
  it('return frozen objects: copy before changing one', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('web'));
    const p = c.get('pods', 'default', 'web');
    expect(() => {
      p.metadata.labels = { x: 'y' };
    }).toThrow(TypeError);
    expect(c.update({ ...p, metadata: { ...p.metadata, labels: { x: 'y' } } }).metadata.labels).toEqual({
      x: 'y',
    });
  });

  it('never serve a rolled-back write, even when its resourceVersion is handed out again', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('web'));
    expect(() =>
      lab.store.transaction(() => {
        c.patch('pods', 'default', 'web', 'merge', { metadata: { labels: { attempt: 'rolled-back' } } });
        expect(c.get('pods', 'default', 'web').metadata.labels).toEqual({ attempt: 'rolled-back' });
        throw new Error('abort');
      }),
    ).toThrow('abort');
    const rolledBackRv = c.get('pods', 'default', 'web').metadata.resourceVersion;
    const kept = c.patch('pods', 'default', 'web', 'merge', { metadata: { labels: { attempt: 'kept' } } });
    expect(Number(kept.metadata.resourceVersion)).toBe(Number(rolledBackRv) + 1);
    expect(c.get('pods', 'default', 'web').metadata.labels).toEqual({ attempt: 'kept' });
  });
});

describe('reads after a rolled-back write', () => {
  it('see the state before the write: no created, changed or deleted object leaks out of it', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('kept'));
    c.create(pod('gone'));
    const before = c.get('pods', 'default', 'kept');
    expect(() =>
      lab.store.transaction(() => {
        c.create(pod('ghost'));
        c.patch('pods', 'default', 'kept', 'merge', { metadata: { labels: { changed: 'yes' } } });
        c.delete('pods', 'default', 'gone');
        throw new Error('the write fails after its changes');
      }),
    ).toThrow('the write fails');
    expect(req('GET', '/api/v1/namespaces/default/pods/ghost').status).toBe(404);
    expect(c.get('pods', 'default', 'kept')).toEqual(before);
    expect(req('GET', '/api/v1/namespaces/default/pods/gone').status).toBe(200);
    expect(c.list('pods', { namespace: 'default' }).items.map((p) => p.metadata.name)).toEqual([
      'gone',
      'kept',
    ]);
  });
});

describe('pods/binding', () => {
  const binding = (name: string, node: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name, ...extra },
    target: { apiVersion: 'v1', kind: 'Node', name: node },
  });

  it('assigns a pending pod to a node in one write, with PodScheduled and the binding annotations', () => {
    lab = newLab();
    const c = adminClient(lab);
    const created = c.create(pod('web'));
    const res = req(
      'POST',
      '/api/v1/namespaces/default/pods/web/binding',
      binding('web', 'esx-01', { annotations: { 'example.com/why': 'room' } }),
    );
    expect(res).toMatchObject({ status: 201, body: { kind: 'Status', status: 'Success', code: 201 } });
    const bound = c.get('pods', 'default', 'web');
    expect(Number(bound.metadata.resourceVersion)).toBe(Number(created.metadata.resourceVersion) + 1);
    expect(bound.spec).toMatchObject({ nodeName: 'esx-01' });
    expect(bound.metadata.annotations).toEqual({ 'example.com/why': 'room' });
    expect((bound.status as { conditions: unknown[] }).conditions).toEqual([
      {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-01-05T09:00:00Z',
      },
    ]);
  });

  it('refuses a pod already assigned, a name that does not match and a missing target, changing nothing', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('web'));
    expect(req('POST', '/api/v1/namespaces/default/pods/web/binding', binding('web', 'esx-01')).status).toBe(
      201,
    );
    const before = c.get('pods', 'default', 'web');
    expect(
      req('POST', '/api/v1/namespaces/default/pods/web/binding', binding('web', 'esx-02')),
    ).toMatchObject({
      status: 409,
      body: {
        reason: 'Conflict',
        message:
          'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "esx-01"',
      },
    });
    expect(
      req('POST', '/api/v1/namespaces/default/pods/web/binding', binding('other', 'esx-02')),
    ).toMatchObject({
      status: 400,
      body: { message: 'name in URL does not match name in Binding object' },
    });
    c.create(pod('db'));
    expect(
      req('POST', '/api/v1/namespaces/default/pods/db/binding', {
        ...binding('db', ''),
        target: { kind: 'Pod' },
      }),
    ).toMatchObject({
      status: 422,
      body: {
        message:
          'Binding "db" is invalid: [target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]',
      },
    });
    expect(
      req('POST', '/api/v1/namespaces/default/pods/nope/binding', binding('nope', 'esx-01')).status,
    ).toBe(404);
    expect(c.get('pods', 'default', 'web')).toEqual(before);
    expect(c.get('pods', 'default', 'db').spec).not.toHaveProperty('nodeName');
  });
});
