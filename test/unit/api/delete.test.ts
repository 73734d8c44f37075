import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { ApiClient } from '../../../main/api/client';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab, pod } from '../../helpers/lab';
import { apiError, request } from '../../helpers/requests';

let lab: Lab;
afterEach(() => lab?.close());

const owned = (child: KubeObject, owner: KubeObject, block = true): KubeObject => ({
  ...child,
  metadata: {
    ...child.metadata,
    ownerReferences: [
      {
        apiVersion: owner.apiVersion,
        kind: owner.kind,
        name: owner.metadata.name!,
        uid: owner.metadata.uid!,
        controller: true,
        blockOwnerDeletion: block,
      },
    ],
  },
});

const rs = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

/** A ReplicaSet owning two pods, as a controller would have made them. */
function family(c: ApiClient, podFinalizers?: string[]) {
  const owner = c.create(rs('web'));
  const pods = ['web-a', 'web-b'].map((n) =>
    c.create(
      owned({ ...pod(n), metadata: { name: n, namespace: 'default', finalizers: podFinalizers } }, owner),
    ),
  );
  return { owner, pods };
}

const names = (c: ApiClient, kind: string) =>
  c.list(kind, { namespace: 'default' }).items.map((o) => o.metadata.name);

describe('cascading deletion', () => {
  it('background: the owner goes at once and its dependents follow', () => {
    lab = newLab();
    const c = adminClient(lab);
    family(c);
    const res = request(lab, 'delete', 'replicasets', { namespace: 'default', name: 'web' });
    expect(res.status).toBe(200);
    expect(names(c, 'rs')).toEqual([]);
    expect(names(c, 'pods')).toEqual([]);
  });

  it('background cascades through several levels', () => {
    lab = newLab();
    const c = adminClient(lab);
    const cm = c.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'root', namespace: 'default' },
    });
    const mid = c.create(owned(rs('web'), cm));
    c.create(owned(pod('leaf'), mid));
    c.delete('configmaps', 'default', 'root');
    expect(names(c, 'rs')).toEqual([]);
    expect(names(c, 'pods')).toEqual([]);
  });

  it('keeps a dependent that still has another live owner, dropping only the dead reference', () => {
    lab = newLab();
    const c = adminClient(lab);
    const a = c.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'default' },
    });
    const b = c.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', namespace: 'default' },
    });
    const p = owned(pod('shared'), a);
    p.metadata.ownerReferences!.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'b',
      uid: b.metadata.uid!,
      controller: false,
    });
    c.create(p);
    c.delete('configmaps', 'default', 'a');
    const left = c.get('pods', 'default', 'shared');
    expect(left.metadata.ownerReferences?.map((r) => r.name)).toEqual(['b']);
  });

  it('foreground: the owner waits, terminating, until its blocking dependents are gone', () => {
    lab = newLab();
    const c = adminClient(lab);
    family(c, ['lab.example.com/hold']);
    const res = request(lab, 'delete', 'replicasets', {
      namespace: 'default',
      name: 'web',
      body: { propagationPolicy: 'Foreground' },
    });
    expect(res.status).toBe(200); // the API server answers 200 for a terminating object too
    const owner = c.get('rs', 'default', 'web');
    expect(owner.metadata.deletionTimestamp).toBeDefined();
    expect(owner.metadata.finalizers).toEqual(['foregroundDeletion']);
    // dependents are being deleted but their own finalizer holds them
    for (const p of c.list('pods', { namespace: 'default' }).items)
      expect(p.metadata.deletionTimestamp).toBeDefined();
    c.patch('pods', 'default', 'web-a', 'merge', { metadata: { finalizers: null } });
    expect(names(c, 'rs')).toEqual(['web']);
    c.patch('pods', 'default', 'web-b', 'merge', { metadata: { finalizers: null } });
    expect(names(c, 'pods')).toEqual([]);
    expect(names(c, 'rs')).toEqual([]);
  });

  it('foreground does not wait for non-blocking dependents', () => {
    lab = newLab();
    const c = adminClient(lab);
    const owner = c.create(rs('web'));
    c.create(
      owned(
        { ...pod('p'), metadata: { name: 'p', namespace: 'default', finalizers: ['x.io/hold'] } },
        owner,
        false,
      ),
    );
    c.delete('rs', 'default', 'web', { propagationPolicy: 'Foreground' });
    expect(names(c, 'rs')).toEqual([]);
    expect(c.get('pods', 'default', 'p').metadata.deletionTimestamp).toBeDefined();
  });

  it('orphan: the owner goes and dependents stay, without the owner reference', () => {
    lab = newLab();
    const c = adminClient(lab);
    family(c);
    request(lab, 'delete', 'replicasets', {
      namespace: 'default',
      name: 'web',
      query: { propagationPolicy: 'Orphan' },
    });
    expect(names(c, 'rs')).toEqual([]);
    const pods = c.list('pods', { namespace: 'default' }).items;
    expect(pods.map((p) => p.metadata.name)).toEqual(['web-a', 'web-b']);
    for (const p of pods) expect(p.metadata.ownerReferences).toBeUndefined();
  });

  it('refuses an unknown propagation policy', () => {
    lab = newLab();
    const c = adminClient(lab);
    family(c);
    const res = request(lab, 'delete', 'replicasets', {
      namespace: 'default',
      name: 'web',
      query: { propagationPolicy: 'Sideways' },
    });
    expect(res.status).toBe(422);
    expect(names(c, 'rs')).toEqual(['web']);
  });
});

describe('finalizers', () => {
  it('hold an object, terminating, until the last is removed', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create({
      ...pod('p'),
      metadata: { name: 'p', namespace: 'default', finalizers: ['a.io/x', 'b.io/y'] },
    });
    const res = request(lab, 'delete', 'pods', { namespace: 'default', name: 'p' });
    expect(res.status).toBe(200); // the API server answers 200 for a terminating object too
    expect((res.body as KubeObject).metadata.deletionTimestamp).toBe('2026-01-05T09:00:00Z');
    c.patch('pods', 'default', 'p', 'json', [{ op: 'remove', path: '/metadata/finalizers/0' }]);
    expect(c.get('pods', 'default', 'p').metadata.finalizers).toEqual(['b.io/y']);
    c.patch('pods', 'default', 'p', 'json', [{ op: 'remove', path: '/metadata/finalizers/0' }]);
    expect(c.tryGet('pods', 'default', 'p')).toBeUndefined();
  });

  it('may not be added to an object being deleted', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create({ ...pod('p'), metadata: { name: 'p', namespace: 'default', finalizers: ['a.io/x'] } });
    c.delete('pods', 'default', 'p');
    const err = apiError(() =>
      c.patch('pods', 'default', 'p', 'merge', { metadata: { finalizers: ['a.io/x', 'c.io/new'] } }),
    );
    expect(err.code).toBe(422);
    expect(err.message).toContain(
      'no new finalizers can be added if the object is being deleted, found new finalizers []string{"c.io/new"}',
    );
  });
});

describe('delete preconditions and collections', () => {
  it('refuses a delete whose uid precondition does not match', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('p'));
    const res = request(lab, 'delete', 'pods', {
      namespace: 'default',
      name: 'p',
      body: { preconditions: { uid: 'not-it' } },
    });
    expect(res.status).toBe(409);
    expect((res.body as { message: string }).message).toMatch(
      /^Operation cannot be fulfilled on pods "p": Precondition failed: UID in precondition: not-it, UID in object meta: /,
    );
    expect(c.tryGet('pods', 'default', 'p')).toBeDefined();
  });

  it('deletes a collection by label selector', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('a', 'default', { labels: { app: 'x' } }));
    c.create(pod('b', 'default', { labels: { app: 'y' } }));
    c.create(pod('c', 'default', { labels: { app: 'x' } }));
    const res = request(lab, 'deletecollection', 'pods', {
      namespace: 'default',
      query: { labelSelector: 'app=x' },
    });
    expect(res.status).toBe(200);
    expect((res.body as { items: KubeObject[] }).items.map((o) => o.metadata.name)).toEqual(['a', 'c']);
    expect(names(c, 'pods')).toEqual(['b']);
  });
});

describe('namespace deletion', () => {
  it('terminates, deletes the contents, then goes; nothing new may be created meanwhile', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    c.create(pod('held', 'team-a'));
    c.patch('pods', 'team-a', 'held', 'merge', { metadata: { finalizers: ['x.io/hold'] } });
    c.create(pod('free', 'team-a'));
    c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'team-a' } });
    const res = request(lab, 'delete', 'namespaces', { name: 'team-a' });
    expect(res.status).toBe(200); // the API server answers 200 for a terminating object too
    const ns = c.get('namespaces', '', 'team-a');
    expect((ns.status as { phase: string }).phase).toBe('Terminating');
    expect(c.list('pods', { namespace: 'team-a' }).items.map((p) => p.metadata.name)).toEqual(['held']);
    expect(c.list('configmaps', { namespace: 'team-a' }).items).toEqual([]);
    const err = apiError(() => c.create(pod('late', 'team-a')));
    expect(err.code).toBe(403);
    expect(err.message).toBe(
      'pods is forbidden: unable to create new content in namespace team-a because it is being terminated',
    );
    c.patch('pods', 'team-a', 'held', 'merge', { metadata: { finalizers: null } });
    expect(c.tryGet('namespaces', '', 'team-a')).toBeUndefined();
  });
});
