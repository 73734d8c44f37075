import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { adminClient, newLab, pod } from '../../helpers/lab';
import { apiError } from '../../helpers/requests';

let lab: Lab;
afterEach(() => lab?.close());

function deployment(name: string, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
      },
    },
  };
}

describe('update', () => {
  it('refuses a stale resourceVersion with Conflict and keeps the newer write', () => {
    lab = newLab();
    const c = adminClient(lab);
    const v1 = c.create(deployment('web'));
    const v2 = c.update({ ...v1, spec: { ...(v1.spec as object), replicas: 2 } });
    const e = apiError(() => c.update({ ...v1, spec: { ...(v1.spec as object), replicas: 5 } }));
    expect(e.code).toBe(409);
    expect(e.status.reason).toBe('Conflict');
    expect(e.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((c.get('deploy', 'default', 'web').spec as { replicas: number }).replicas).toBe(2);
    expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(Number(v1.metadata.resourceVersion));
  });

  it('requires a resourceVersion', () => {
    lab = newLab();
    const c = adminClient(lab);
    const v1 = c.create(deployment('web'));
    const e = apiError(() => c.update({ ...v1, metadata: { ...v1.metadata, resourceVersion: undefined } }));
    expect(e.code).toBe(422);
    expect(e.message).toContain(
      'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
  });

  it('bumps generation on spec changes only', () => {
    lab = newLab();
    const c = adminClient(lab);
    const d = c.create(deployment('web'));
    expect(d.metadata.generation).toBe(1);
    const labelled = c.update({ ...d, metadata: { ...d.metadata, labels: { team: 'a' } } });
    expect(labelled.metadata.generation).toBe(1);
    const status = c.updateStatus({ ...labelled, status: { replicas: 1, readyReplicas: 1 } });
    expect(status.metadata.generation).toBe(1);
    const scaled = c.update({ ...status, spec: { ...(status.spec as object), replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);
  });

  it('keeps status out of main-resource updates and spec out of status updates', () => {
    lab = newLab();
    const c = adminClient(lab);
    const d = c.create(deployment('web'));
    const a = c.update({ ...d, status: { replicas: 99 } });
    expect(a.status).toBeUndefined();
    const b = c.updateStatus({ ...a, spec: { ...(a.spec as object), replicas: 7 }, status: { replicas: 1 } });
    expect(b.status).toEqual({ replicas: 1 });
    expect((b.spec as { replicas: number }).replicas).toBe(1);
  });

  it('does not write when nothing changed', () => {
    lab = newLab();
    const c = adminClient(lab);
    const d = c.create(deployment('web'));
    const again = c.update(d);
    expect(again.metadata.resourceVersion).toBe(d.metadata.resourceVersion);
  });

  it('enforces immutable fields', () => {
    lab = newLab();
    const c = adminClient(lab);
    const d = c.create(deployment('web'));
    const changed = structuredClone(d) as {
      spec: {
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> } };
      };
    } & KubeObject;
    changed.spec.selector.matchLabels = { app: 'other' };
    changed.spec.template.metadata.labels = { app: 'other' };
    const e = apiError(() => c.update(changed));
    expect(e.code).toBe(422);
    expect(e.message).toContain('spec.selector: Invalid value');
    expect(e.message).toContain('field is immutable');
    const p = c.create(pod('web'));
    const e2 = apiError(() => c.update({ ...p, spec: { ...(p.spec as object), restartPolicy: 'Never' } }));
    expect(e2.message).toContain(
      'Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than',
    );
    // inside a container, only the image may change
    const containers = structuredClone((p.spec as { containers: Record<string, unknown>[] }).containers);
    containers[0]!.command = ['sleep', '1'];
    const e3 = apiError(() => c.update({ ...p, spec: { ...(p.spec as object), containers } }));
    expect(e3.message).toContain('pod updates may not change fields other than');
  });

  it('allows a pod’s image to change', () => {
    lab = newLab();
    const c = adminClient(lab);
    const p = c.create(pod('web'));
    const spec = structuredClone(p.spec) as { containers: { image: string }[] };
    spec.containers[0]!.image = 'nginx:1.27';
    expect((c.update({ ...p, spec }).spec as typeof spec).containers[0]!.image).toBe('nginx:1.27');
  });
});

describe('patch', () => {
  it('applies a JSON merge patch, null deleting a key', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create({ ...pod('web'), metadata: { name: 'web', namespace: 'default', labels: { a: '1', b: '2' } } });
    const p = c.patch('pods', 'default', 'web', 'merge', { metadata: { labels: { b: null, c: '3' } } });
    expect(p.metadata.labels).toEqual({ a: '1', c: '3' });
  });

  it('merges containers by name in a strategic merge patch, and deletes with $patch', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create({
      ...deployment('web'),
      spec: {
        ...(deployment('web').spec as object),
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'web', image: 'nginx:1.25' },
              { name: 'sidecar', image: 'busybox' },
            ],
          },
        },
      },
    });
    const p = c.patch('deployments', 'default', 'web', 'strategic', {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'web', image: 'nginx:1.27' },
              { name: 'sidecar', $patch: 'delete' },
              { name: 'log', image: 'fluentbit' },
            ],
          },
        },
      },
    });
    const containers = (p.spec as { template: { spec: { containers: { name: string; image: string }[] } } })
      .template.spec.containers;
    expect(containers.map((x) => `${x.name}=${x.image}`)).toEqual(['web=nginx:1.27', 'log=fluentbit']);
    expect(p.metadata.generation).toBe(2);
  });

  it('replaces the list in a merge patch (no merge key semantics)', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(deployment('web'));
    const p = c.patch('deployments', 'default', 'web', 'merge', {
      spec: { template: { spec: { containers: [{ name: 'other', image: 'busybox' }] } } },
    });
    const containers = (p.spec as { template: { spec: { containers: { name: string }[] } } }).template.spec
      .containers;
    expect(containers.map((x) => x.name)).toEqual(['other']);
  });

  it('applies a JSON patch and refuses one whose test fails, changing nothing', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(deployment('web'));
    const p = c.patch('deployments', 'default', 'web', 'json', [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 4 },
    ]);
    expect((p.spec as { replicas: number }).replicas).toBe(4);
    const e = apiError(() =>
      c.patch('deployments', 'default', 'web', 'json', [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 9 },
      ]),
    );
    expect(e.code).toBe(422);
    expect((c.get('deployments', 'default', 'web').spec as { replicas: number }).replicas).toBe(4);
  });

  it('validates the patched object', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(deployment('web'));
    const e = apiError(() => c.patch('deployments', 'default', 'web', 'merge', { spec: { replicas: -1 } }));
    expect(e.code).toBe(422);
    expect(e.message).toContain('spec.replicas in body should be greater than or equal to 0');
  });

  it('honours a resourceVersion inside the patch as a precondition', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(deployment('web'));
    const e = apiError(() =>
      c.patch('deployments', 'default', 'web', 'merge', {
        metadata: { resourceVersion: '1' },
        spec: { replicas: 2 },
      }),
    );
    expect(e.code).toBe(409);
  });

  it('rejects an unknown patch content type with 415', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(pod('web'));
    const res = lab.api.handle({
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/web',
      body: {},
      user: c.user,
      cluster: 'supervisor',
      contentType: 'text/plain',
    });
    expect(res.status).toBe(415);
  });
});
