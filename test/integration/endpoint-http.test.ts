import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import type { Lab } from '../../main/sim/lab';
import { mintToken } from '../../main/host/endpoint/kubeconfig';
import { startEndpoint, MAX_BODY_BYTES, type Endpoint } from '../../main/host/endpoint/server';
import { labTls } from '../../main/host/endpoint/tls';
import { newLab } from '../helpers/lab';

describe('the endpoint at the HTTP level', () => {
  let lab: Lab;
  let ep: Endpoint;
  let ca: string;
  let token: string;
  beforeAll(async () => {
    lab = newLab();
    const tls = await labTls(lab.store, 'test');
    ca = tls.caCert;
    ep = await startEndpoint(lab, tls, 0);
    token = mintToken(lab, {
      username: 'administrator@vsphere.local',
      groups: ['system:authenticated'],
    }).token;
  });
  afterAll(async () => {
    await ep?.close();
    lab?.close();
  });

  const call = (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      const req = request(
        `${ep.url}${path}`,
        {
          method,
          ca,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('serves /version without a token, everything else only with one', async () => {
    expect((await call('GET', '/version', undefined, { Authorization: '' })).status).toBe(200);
    expect(await call('GET', '/api/v1/namespaces', undefined, { Authorization: '' })).toMatchObject({
      status: 401,
      json: { kind: 'Status', reason: 'Unauthorized', code: 401 },
    });
  });

  it('refuses a malformed body with 400 and an oversized one with 413, changing nothing', async () => {
    expect(await call('POST', '/api/v1/namespaces/default/configmaps', '{"metadata": {')).toMatchObject({
      status: 400,
      json: { reason: 'BadRequest' },
    });
    const huge = JSON.stringify({ metadata: { name: 'big' }, data: { x: 'y'.repeat(MAX_BODY_BYTES) } });
    expect(await call('POST', '/api/v1/namespaces/default/configmaps', huge)).toMatchObject({
      status: 413,
      json: { reason: 'RequestEntityTooLarge' },
    });
    expect((await call('GET', '/api/v1/namespaces/default/configmaps')).json.items).toEqual([]);
  });

  it('publishes OpenAPI v2 and v3 generated from the registry', async () => {
    const v2 = (await call('GET', '/openapi/v2')).json as {
      swagger: string;
      definitions: Record<string, { 'x-kubernetes-group-version-kind': unknown[] }>;
    };
    expect(v2.swagger).toBe('2.0');
    expect(v2.definitions['io.k8s.api.core.v1.Pod']!['x-kubernetes-group-version-kind']).toEqual([
      { group: '', version: 'v1', kind: 'Pod' },
    ]);
    expect(Object.keys(v2.definitions)).toContain('io.k8s.api.apps.v1.Deployment');
    const index = (await call('GET', '/openapi/v3')).json as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    expect(Object.keys(index.paths)).toEqual(
      expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/authorization.k8s.io/v1']),
    );
    const core = (await call('GET', index.paths['api/v1']!.serverRelativeURL)).json as {
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(core.components.schemas)).toContain('io.k8s.api.core.v1.Node');
  });

  it('streams a watch that replays events with proper headers, and frees it when the client goes', async () => {
    await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      JSON.stringify({ metadata: { name: 'replayed' } }),
    );
    const before = lab.api.hub.watcherCount();
    const got = await new Promise<{ type: string | undefined; first: string }>((resolve, reject) => {
      const req = request(
        `${ep.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0`,
        { ca, headers: { Authorization: `Bearer ${token}` } },
        (res) => {
          res.once('data', (chunk: Buffer) => {
            resolve({ type: res.headers['content-type'], first: chunk.toString() });
            req.destroy();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(got.type).toBe('application/json');
    expect(JSON.parse(got.first.split('\n')[0]!)).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'replayed' } },
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(lab.api.hub.watcherCount()).toBe(before);
  });

  it('keeps a non-ASCII unknown field from breaking the response (the write and its warning both arrive)', async () => {
    const r = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      JSON.stringify({ metadata: { name: 'warned' }, ключ: 'x' }),
    );
    expect(r.status).toBe(201);
  });

  it('answers a malformed cluster path with 404 and protobuf garbage with 415', async () => {
    expect((await call('GET', '/clusters/%E0%A4%A/api')).status).toBe(404);
    const junk = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x05, 0xff, 0xfe]);
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', junk, {
      'Content-Type': 'application/vnd.kubernetes.protobuf',
    });
    expect(r).toMatchObject({ status: 415, json: { reason: 'UnsupportedMediaType' } });
  });

  it('expires tokens after 10 hours of lab time', async () => {
    const t = mintToken(lab, { username: 'devops@vsphere.local', groups: [] }).token;
    const get = () => call('GET', '/api/v1/namespaces', undefined, { Authorization: `Bearer ${t}` });
    expect((await get()).status).toBe(200);
    lab.advance(10 * 3600_000 - 1000);
    expect((await get()).status).toBe(200);
    lab.advance(1000);
    expect((await get()).status).toBe(401);
  });

  it('answers exec with a clear Status instead of a stream', async () => {
    token = mintToken(lab, { username: 'administrator@vsphere.local', groups: [] }).token; // the earlier one has expired
    await call(
      'POST',
      '/api/v1/namespaces/default/pods',
      JSON.stringify({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }),
    );
    const r = await call('POST', '/api/v1/namespaces/default/pods/p/exec?command=ls');
    expect(r.status).toBe(400);
    expect(String(r.json.message)).toContain('exec is not supported in this lab');
  });
});
