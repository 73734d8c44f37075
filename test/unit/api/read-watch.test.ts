import { afterEach, describe, expect, it } from 'vitest';
import type { AdmissionPlugin, Authorizer } from '../../../main/api/admission';
import { ApiClient } from '../../../main/api/client';
import { forbidden } from '../../../main/api/errors';
import type { WatchEvent } from '../../../main/api/types';
import type { Table } from '../../../main/api/table';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab, pod } from '../../helpers/lab';
import { apiError, request } from '../../helpers/requests';

let lab: Lab;
afterEach(() => lab?.close());

const listNames = (c: ApiClient, q: { labelSelector?: string; fieldSelector?: string; namespace?: string }) =>
  c.list('pods', q).items.map((p) => p.metadata.name);

function seed(c: ApiClient) {
  c.create(pod('a', 'default', { labels: { app: 'web', tier: 'front' } }));
  c.create(pod('b', 'default', { labels: { app: 'web', tier: 'back' } }));
  c.create(pod('c', 'default', { labels: { app: 'db' } }));
  c.create({
    ...pod('d', 'kube-system'),
    spec: { nodeName: 'esxi-01.lab.local', containers: [{ name: 'x', image: 'busybox' }] },
  });
}

describe('label and field selectors', () => {
  it('selects by equality, inequality, set membership and existence', () => {
    lab = newLab();
    const c = adminClient(lab);
    seed(c);
    expect(listNames(c, { namespace: 'default', labelSelector: 'app=web' })).toEqual(['a', 'b']);
    expect(listNames(c, { namespace: 'default', labelSelector: 'app==web,tier!=back' })).toEqual(['a']);
    expect(listNames(c, { namespace: 'default', labelSelector: 'app in (db, cache)' })).toEqual(['c']);
    expect(listNames(c, { namespace: 'default', labelSelector: 'app notin (db)' })).toEqual(['a', 'b']);
    expect(listNames(c, { namespace: 'default', labelSelector: 'tier' })).toEqual(['a', 'b']);
    expect(listNames(c, { namespace: 'default', labelSelector: '!tier' })).toEqual(['c']);
  });

  it('refuses a malformed label selector with BadRequest', () => {
    lab = newLab();
    const res = request(lab, 'list', 'pods', { query: { labelSelector: 'app in (web' } });
    expect(res.status).toBe(400);
    const res2 = request(lab, 'list', 'pods', { query: { labelSelector: 'app=bad value!' } });
    expect(res2.status).toBe(400);
  });

  it('selects by metadata.name, metadata.namespace, status.phase and spec.nodeName across namespaces', () => {
    lab = newLab();
    const c = adminClient(lab);
    seed(c);
    expect(listNames(c, { fieldSelector: 'metadata.name=b' })).toEqual(['b']);
    expect(listNames(c, { fieldSelector: 'metadata.namespace=kube-system' })).toEqual(['d']);
    expect(listNames(c, { fieldSelector: 'spec.nodeName=esxi-01.lab.local' })).toEqual(['d']);
    expect(listNames(c, { fieldSelector: 'status.phase=Pending,metadata.name!=a' })).toEqual(['b', 'c', 'd']);
    expect(listNames(c, { fieldSelector: 'spec.nodeName=' })).toEqual(['a', 'b', 'c']);
  });

  it('refuses a field the kind does not support', () => {
    lab = newLab();
    const res = request(lab, 'list', 'configmaps', { query: { fieldSelector: 'spec.nodeName=x' } });
    expect(res).toMatchObject({
      status: 400,
      body: { reason: 'BadRequest', message: 'field label not supported: spec.nodeName' },
    });
  });
});

describe('paging and tables', () => {
  it('pages with limit and continue', () => {
    lab = newLab();
    const c = adminClient(lab);
    for (let i = 0; i < 7; i++) c.create(pod(`p${i}`));
    const first = c.list('pods', { namespace: 'default', limit: 3 });
    expect(first.items.map((p) => p.metadata.name)).toEqual(['p0', 'p1', 'p2']);
    expect(first.metadata.remainingItemCount).toBe(4);
    const second = c.list('pods', { namespace: 'default', limit: 3, continue: first.metadata.continue });
    const third = c.list('pods', { namespace: 'default', limit: 3, continue: second.metadata.continue });
    expect([...second.items, ...third.items].map((p) => p.metadata.name)).toEqual(['p3', 'p4', 'p5', 'p6']);
    expect(third.metadata.continue).toBeUndefined();
  });

  it('answers as=Table with the kind’s columns and ages on the lab clock', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('web'));
    lab.advance(5 * 60_000 + 30_000);
    const res = lab.api.handle({
      method: 'GET',
      path: '/api/v1/namespaces/default/pods',
      user: c.user,
      cluster: 'supervisor',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    const t = res.body as Table;
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.filter((d) => d.priority === 0).map((d) => d.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    expect(t.columnDefinitions.filter((d) => d.priority === 1).map((d) => d.name)).toEqual([
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect(t.rows[0]!.cells.slice(0, 5)).toEqual(['web', '0/1', 'Pending', '0', '5m30s']);
    expect(t.rows[0]!.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'web' } });
  });
});

describe('watch', () => {
  it('sends the current state as ADDED, then live changes', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('a'));
    const events: string[] = [];
    const w = c.watch('pods', { namespace: 'default' }, (e) =>
      events.push(`${e.type} ${(e.object as { metadata: { name: string } }).metadata.name}`),
    );
    c.create(pod('b'));
    c.patch('pods', 'default', 'a', 'merge', { metadata: { labels: { x: 'y' } } });
    c.delete('pods', 'default', 'b');
    expect(events).toEqual(['ADDED a']); // nothing is seen before it commits
    lab.store.flush();
    expect(events).toEqual(['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED b']);
    w.dispose();
  });

  it('resumes after a resourceVersion, replaying what was missed', () => {
    lab = newLab();
    const c = adminClient(lab);
    const a = c.create(pod('a'));
    c.create(pod('b'));
    c.delete('pods', 'default', 'a');
    lab.store.flush();
    const events: string[] = [];
    c.watch('pods', { namespace: 'default', resourceVersion: a.metadata.resourceVersion }, (e) =>
      events.push(`${e.type} ${(e.object as { metadata: { name: string } }).metadata.name}`),
    );
    expect(events).toEqual(['ADDED b', 'DELETED a']);
  });

  it('answers a compacted resourceVersion with 410 Expired', () => {
    lab = newLab();
    const c = adminClient(lab);
    const a = c.create(pod('a'));
    for (let i = 0; i < 5; i++)
      c.patch('pods', 'default', 'a', 'merge', { metadata: { labels: { n: String(i) } } });
    lab.store.flush();
    lab.store.compact(lab.store.currentRv() - 1);
    const err = apiError(() =>
      c.watch('pods', { namespace: 'default', resourceVersion: a.metadata.resourceVersion }, () => {}),
    );
    expect(err.code).toBe(410);
    expect(err.status.reason).toBe('Expired');
    expect(err.message).toBe(
      `too old resource version: ${a.metadata.resourceVersion} (${lab.store.compactedRv() + 1})`,
    );
  });

  it('sends bookmarks to watchers that allow them', () => {
    lab = newLab();
    const c = adminClient(lab);
    const got: WatchEvent[] = [];
    const quiet: WatchEvent[] = [];
    c.watch(
      'pods',
      { namespace: 'default', allowBookmarks: true, resourceVersion: String(lab.store.currentRv()) },
      (e) => got.push(e),
    );
    c.watch('pods', { namespace: 'default', resourceVersion: String(lab.store.currentRv()) }, (e) =>
      quiet.push(e),
    );
    c.create(pod('a'));
    lab.store.flush();
    lab.api.hub.bookmark();
    expect(got.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect((got[1]!.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion).toBe(
      String(lab.store.currentRv()),
    );
    expect(quiet.map((e) => e.type)).toEqual(['ADDED']);
  });

  it('turns a change out of the selection into DELETED and into it into ADDED', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('a', 'default', { labels: { app: 'web' } }));
    const events: string[] = [];
    c.watch('pods', { namespace: 'default', labelSelector: 'app=web' }, (e) => events.push(e.type));
    c.patch('pods', 'default', 'a', 'merge', { metadata: { labels: { app: 'db' } } });
    c.patch('pods', 'default', 'a', 'merge', { metadata: { labels: { extra: '1' } } });
    c.patch('pods', 'default', 'a', 'merge', { metadata: { labels: { app: 'web' } } });
    lab.store.flush();
    expect(events).toEqual(['ADDED', 'DELETED', 'ADDED']);
  });

  it('delivers frozen objects that watchers cannot corrupt for each other', () => {
    lab = newLab();
    const c = adminClient(lab);
    const seen: WatchEvent[] = [];
    c.watch('pods', { namespace: 'default', resourceVersion: String(lab.store.currentRv()) }, (e) =>
      seen.push(e),
    );
    c.create(pod('a'));
    lab.store.flush();
    expect(() => {
      (seen[0]!.object as { metadata: { name: string } }).metadata.name = 'evil';
    }).toThrow(TypeError);
  });
});

describe('authorization and admission', () => {
  it('refuses a denied request with the message kubectl prints, and changes nothing', () => {
    const authorizer: Authorizer = {
      authorize: (a) => ({ allowed: a.user.username === 'system:admin' || a.verb === 'get' }),
    };
    lab = newLab({ authorizer });
    const user = new ApiClient(
      lab.api,
      { username: 'devops@vsphere.local', groups: ['DevOps'] },
      'supervisor',
    );
    const res = request(lab, 'create', 'pods', { user: user.user, namespace: 'default', body: pod('x') });
    expect(res).toMatchObject({
      status: 403,
      body: {
        reason: 'Forbidden',
        message:
          'pods is forbidden: User "devops@vsphere.local" cannot create resource "pods" in API group "" in the namespace "default"',
      },
    });
    const res2 = request(lab, 'list', 'namespaces', { user: user.user });
    expect((res2.body as { message: string }).message).toBe(
      'namespaces is forbidden: User "devops@vsphere.local" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    expect(adminClient(lab).list('pods', { namespace: 'default' }).items).toEqual([]);
  });

  it('runs mutating admission before validation and validating admission after', () => {
    const order: string[] = [];
    const plugins: AdmissionPlugin[] = [
      {
        name: 'LabelInjector',
        mutate: (a) => {
          order.push(`mutate ${a.operation}`);
          if (a.object) a.object.metadata.labels = { ...a.object.metadata.labels, injected: 'yes' };
        },
      },
      {
        name: 'NoLatest',
        validate: (a) => {
          order.push(`validate ${a.operation}`);
          const image = (a.object?.spec as { containers?: { image?: string }[] } | undefined)?.containers?.[0]
            ?.image;
          if (image?.endsWith(':latest'))
            throw forbidden(`pods "${a.name}" is forbidden: images tagged latest are not allowed`);
        },
      },
    ];
    lab = newLab({ admission: plugins });
    const c = adminClient(lab);
    expect(c.create(pod('ok')).metadata.labels).toEqual({ injected: 'yes' });
    const res = request(lab, 'create', 'pods', {
      namespace: 'default',
      body: { ...pod('bad'), spec: { containers: [{ name: 'c', image: 'nginx:latest' }] } },
    });
    expect(res.status).toBe(403);
    expect(c.tryGet('pods', 'default', 'bad')).toBeUndefined();
    expect(order.slice(0, 2)).toEqual(['mutate CREATE', 'validate CREATE']);
  });
});

describe('bookmarks on the lab clock', () => {
  it('reach watchers that allow them every minute of lab time', () => {
    lab = newLab();
    const c = adminClient(lab);
    const types: string[] = [];
    c.watch(
      'pods',
      { namespace: 'default', allowBookmarks: true, resourceVersion: String(lab.store.currentRv()) },
      (e) => types.push(e.type),
    );
    lab.advance(59_000);
    expect(types).toEqual([]);
    lab.advance(2 * 60_000);
    expect(types).toEqual(['BOOKMARK', 'BOOKMARK']);
  });
});
