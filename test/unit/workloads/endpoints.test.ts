import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../main/api/types';
import type { Lab } from '../../../main/sim/lab';
import { formatEndpoints } from '../../../main/api/kinds/core';
import { adminClient, newLab, pod } from '../../helpers/lab';
import { finishPod, startPod } from '../../helpers/kubelet';
import { list, shell } from './helpers';

let lab: Lab;
afterEach(() => lab?.close());

function service(name: string, spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec,
  };
}

const webPod = (name: string, labels = { app: 'web' }, extra: Record<string, unknown> = {}) => ({
  ...pod(name, 'default', { labels }),
  spec: {
    containers: [{ name: 'nginx', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }],
    ...extra,
  },
});

describe('Endpoints', () => {
  it('lists the selected pods with IPs: Ready ones as addresses, the others as notReadyAddresses, on the target port', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(
      service(
        'web',
        { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
        { team: 'a' },
      ),
    );
    for (const n of ['web-a', 'web-b', 'web-c', 'web-d']) c.create(webPod(n));
    c.create(webPod('db', { app: 'db' }));
    lab.settle();
    expect(c.get('endpoints', 'default', 'web')).toMatchObject({ metadata: { labels: { team: 'a' } } });
    expect(c.get('endpoints', 'default', 'web').subsets).toBeUndefined();
    startPod(c, c.get('pods', 'default', 'web-b'), lab.clock.now(), { ip: '10.244.0.12' });
    startPod(c, c.get('pods', 'default', 'web-a'), lab.clock.now(), { ip: '10.244.0.11' });
    startPod(c, c.get('pods', 'default', 'web-c'), lab.clock.now(), { ip: '10.244.0.13', ready: false });
    startPod(c, c.get('pods', 'default', 'db'), lab.clock.now(), { ip: '10.244.0.20' });
    lab.settle();
    const ep = c.get('endpoints', 'default', 'web');
    const ref = (n: string) => ({
      kind: 'Pod',
      namespace: 'default',
      name: n,
      uid: c.get('pods', 'default', n).metadata.uid,
    });
    expect(ep.subsets).toEqual([
      {
        addresses: [
          { ip: '10.244.0.11', targetRef: ref('web-a') },
          { ip: '10.244.0.12', targetRef: ref('web-b') },
        ],
        notReadyAddresses: [{ ip: '10.244.0.13', targetRef: ref('web-c') }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(formatEndpoints(ep)).toBe('10.244.0.11:8080,10.244.0.12:8080');
  });

  it('follows pods leaving (relabelled, finished, deleted) and the Service going', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }));
    for (const n of ['web-a', 'web-b', 'web-c'])
      c.create(webPod(n, { app: 'web' }, { restartPolicy: 'Never' }));
    lab.settle();
    for (const n of ['web-a', 'web-b', 'web-c']) startPod(c, c.get('pods', 'default', n), lab.clock.now());
    lab.settle();
    const ips = () => formatEndpoints(c.get('endpoints', 'default', 'web'));
    expect(ips().split(',')).toHaveLength(3);
    expect(ips()).toMatch(/:8080/); // the named port resolved on the pods
    c.patch('pods', 'default', 'web-a', 'merge', { metadata: { labels: { app: 'debug' } } });
    finishPod(c, c.get('pods', 'default', 'web-b'), 'Succeeded', lab.clock.now());
    lab.settle();
    const ipOfC = (c.get('pods', 'default', 'web-c').status as { podIP: string }).podIP;
    expect(ips()).toBe(`${ipOfC}:8080`);
    c.delete('pods', 'default', 'web-c');
    lab.settle();
    expect(ips()).toBe('<none>');
    c.delete('services', 'default', 'web');
    lab.settle();
    expect(c.tryGet('endpoints', 'default', 'web')).toBeUndefined();
  });

  it('leaves alone a Service without a selector and the Endpoints a user made for it; puts back managed ones', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(service('external', { ports: [{ port: 5432 }] }));
    c.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '192.168.1.50' }], ports: [{ port: 5432 }] }],
    });
    c.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    c.create(webPod('web-a'));
    lab.settle();
    startPod(c, c.get('pods', 'default', 'web-a'), lab.clock.now(), { ip: '10.244.0.5' });
    lab.settle();
    expect(formatEndpoints(c.get('endpoints', 'default', 'external'))).toBe('192.168.1.50:5432');
    c.delete('endpoints', 'default', 'web');
    lab.settle();
    expect(formatEndpoints(c.get('endpoints', 'default', 'web'))).toBe('10.244.0.5:80');
  });

  it('gives headless Services hostnames of pods in their subdomain, publishNotReadyAddresses, and the headless label', () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(
      service('nginx', { clusterIP: 'None', selector: { app: 'web' }, publishNotReadyAddresses: true }),
    );
    c.create(webPod('web-0', { app: 'web' }, { hostname: 'web-0', subdomain: 'nginx' }));
    lab.settle();
    startPod(c, c.get('pods', 'default', 'web-0'), lab.clock.now(), { ip: '10.244.0.9', ready: false });
    lab.settle();
    const ep = c.get('endpoints', 'default', 'nginx');
    expect(ep.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    expect(ep.subsets).toEqual([
      {
        addresses: [
          { ip: '10.244.0.9', hostname: 'web-0', targetRef: expect.objectContaining({ name: 'web-0' }) },
        ],
      },
    ]);
  });

  it('prints at most three endpoints, then how many more', async () => {
    lab = newLab();
    const c = adminClient(lab);
    c.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    for (let i = 1; i <= 5; i++) c.create(webPod(`web-${i}`));
    lab.settle();
    for (let i = 1; i <= 5; i++)
      startPod(c, c.get('pods', 'default', `web-${i}`), lab.clock.now(), { ip: `10.244.0.${i}` });
    lab.settle();
    const cell = '10.244.0.1:80,10.244.0.2:80,10.244.0.3:80 + 2 more...';
    expect((await shell(lab)('kubectl get endpoints web')).out).toBe(
      `NAME   ${'ENDPOINTS'.padEnd(cell.length)}   AGE\nweb    ${cell}   0s\n`,
    );
    expect(list(c, 'endpoints').map((e) => e.metadata.name)).toEqual(['web']);
  });
});
