// The Kubernetes-compatible HTTPS endpoint: serves a lab's Kubernetes API spaces on loopback so the real
// kubectl and client libraries work against it. The Supervisor is at the root; a guest cluster at
// /clusters/<space>. It is a thin adapter: every request goes through ApiServer.handle / watch, as the
// in-app shell's do.
import { tkcLogin, workloadsOf } from '../../sim/supervisor/access';
import { kubernetesVersion } from '../../sim/tkgs/version';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import type { ResourceRequest } from '../../api/server';
import { statusFailure } from '../../api/errors';
import type { Status, UserInfo, WatchEvent } from '../../api/types';
import type { Lab } from '../../sim/lab';
import { authenticate as authenticateSso, sessionUser } from '../../sim/vcenter/sso';
import { mintToken } from './kubeconfig';
import {
  aggregatedDiscovery,
  apiGroup,
  coreVersions,
  groupList,
  resourceList,
  wantsAggregated,
} from './discovery';
import { openapiV2, openapiV3, openapiV3Index } from './openapi';
import { decodeKubernetesProtobuf, ProtobufError } from './protobuf';
import type { LabTls } from './tls';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
const FLOW_SCHEMA_UID = '7f3e4b8a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const PRIORITY_LEVEL_UID = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
const unsupportedSubresources = new Set(['exec', 'attach', 'portforward', 'proxy']);

export interface Endpoint {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const status = (code: number, reason: string, message: string): Reply => ({
  status: code,
  body: statusFailure(code, reason, message).status,
});

export async function startEndpoint(lab: Lab, tls: LabTls, port = 6443): Promise<Endpoint> {
  const watches = new Set<() => void>();
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    // API Priority and Fairness headers, as a real API server with APF sends them.
    res.setHeader('X-Kubernetes-PF-FlowSchema-UID', FLOW_SCHEMA_UID);
    res.setHeader('X-Kubernetes-PF-PriorityLevel-UID', PRIORITY_LEVEL_UID);
    serve(lab, req, res, watches).catch((err: unknown) => {
      // never a crash: whatever went wrong becomes a 500 Status
      if (!res.headersSent)
        send(
          res,
          status(
            500,
            'InternalError',
            `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`,
          ),
        );
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${actual}`,
    port: actual,
    server,
    close: () =>
      new Promise((resolve) => {
        for (const stop of watches) stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, r: Reply, warnings: string[] = []): void {
  const body = JSON.stringify(r.body);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    ...r.headers,
  };
  // HTTP header values are Latin-1: warnings are escaped to ASCII so a user's field name cannot break them
  const ascii = (w: string) =>
    JSON.stringify(w).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (warnings.length)
    res.setHeader(
      'Warning',
      warnings.map((w) => `299 - ${ascii(w)}`),
    );
  res.writeHead(r.status, headers).end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer | Reply> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      return status(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function authenticate(lab: Lab, req: IncomingMessage): UserInfo | undefined {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? sessionUser(lab.world, m[1]!) : undefined;
}

async function serve(
  lab: Lab,
  req: IncomingMessage,
  res: ServerResponse,
  watches: Set<() => void>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  let path = url.pathname;
  let space = 'supervisor';
  const prefix = /^\/clusters\/([^/]+)(\/.*)?$/.exec(path);
  if (prefix) {
    try {
      space = decodeURIComponent(prefix[1]!);
    } catch {
      return send(res, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
    path = prefix[2] ?? '/';
  }
  const flavor = lab.api.flavorOf(space);
  if (path === '/healthz' || path === '/livez' || path === '/readyz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    return;
  }
  if (path === '/version') return send(res, { status: 200, body: kubernetesVersion(lab.api, space) });
  if (path === '/wcp/login' && req.method === 'POST') return await wcpLogin(lab, req, res);
  const user = authenticate(lab, req);
  if (!user) return send(res, status(401, 'Unauthorized', 'Unauthorized'));
  if (path === '/wcp/workloads' && req.method === 'GET')
    return send(res, { status: 200, body: workloadsOf(lab.world, user) });
  if (!flavor || flavor === 'vcenter')
    return send(res, status(404, 'NotFound', 'the server could not find the requested resource'));

  const registry = lab.registry;
  const parts = path.split('/').filter(Boolean);
  if (req.method === 'GET') {
    const aggregated = wantsAggregated(req.headers.accept ?? '');
    if ((path === '/api' || path === '/apis') && aggregated) {
      const d = aggregatedDiscovery(registry, flavor, path === '/api', aggregated);
      return send(res, { status: 200, body: d.body, headers: { 'Content-Type': d.contentType } });
    }
    if (path === '/api')
      return send(res, { status: 200, body: coreVersions(req.headers.host ?? '127.0.0.1') });
    if (path === '/apis') return send(res, { status: 200, body: groupList(registry, flavor) });
    if (parts[0] === 'api' && parts.length === 2)
      return sendOr404(res, resourceList(registry, flavor, '', parts[1]!));
    if (parts[0] === 'apis' && parts.length === 2)
      return sendOr404(res, apiGroup(registry, flavor, parts[1]!));
    if (parts[0] === 'apis' && parts.length === 3)
      return sendOr404(res, resourceList(registry, flavor, parts[1]!, parts[2]!));
    if (path === '/openapi/v2') return send(res, { status: 200, body: openapiV2(registry, flavor) });
    if (path === '/openapi/v3') return send(res, { status: 200, body: openapiV3Index(registry, flavor) });
    if (parts[0] === 'openapi' && parts[1] === 'v3' && parts[2] === 'api' && parts.length === 4)
      return sendOr404(res, openapiV3(registry, flavor, '', parts[3]!));
    if (parts[0] === 'openapi' && parts[1] === 'v3' && parts[2] === 'apis' && parts.length === 5)
      return sendOr404(res, openapiV3(registry, flavor, parts[3]!, parts[4]!));
  }
  if (parts[0] !== 'api' && parts[0] !== 'apis')
    return send(res, status(404, 'NotFound', 'the server could not find the requested resource'));

  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  let body: unknown;
  const contentType = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
  const yamlBody = contentType === 'application/apply-patch+yaml' || contentType === 'application/yaml';
  const protobufBody = contentType === 'application/vnd.kubernetes.protobuf';
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  if (hasBody && req.method !== 'DELETE' && !contentType.endsWith('json') && !yamlBody && !protobufBody) {
    // CBOR and other encodings are refused as an API server that does not speak them would.
    return send(
      res,
      status(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml`,
      ),
    );
  }
  if (hasBody) {
    const raw = await readBody(req);
    if (!Buffer.isBuffer(raw)) return send(res, raw);
    if (raw.length > 0) {
      try {
        body = protobufBody
          ? decodeKubernetesProtobuf(raw)
          : yamlBody
            ? parseYaml(raw.toString('utf8'))
            : JSON.parse(raw.toString('utf8'));
      } catch (e) {
        if (e instanceof ProtobufError) {
          return send(
            res,
            status(
              415,
              'UnsupportedMediaType',
              `the protobuf body could not be read here (${e.message}); send it as JSON`,
            ),
          );
        }
        return send(
          res,
          status(
            400,
            'BadRequest',
            `the request body is not valid ${yamlBody ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
          ),
        );
      }
    }
  }
  const accept = req.headers.accept ?? '';
  let rr: ResourceRequest;
  try {
    rr = lab.api.toResourceRequest({
      method: req.method ?? 'GET',
      path,
      query,
      body,
      user,
      cluster: space,
      contentType: req.headers['content-type'],
      accept,
    });
  } catch (e) {
    const err = e as { status?: Status };
    return send(
      res,
      err.status ? { status: err.status.code, body: err.status } : status(400, 'BadRequest', String(e)),
    );
  }
  if (rr.subresource && unsupportedSubresources.has(rr.subresource)) {
    return send(
      res,
      status(
        400,
        'BadRequest',
        `${rr.subresource} is not supported in this lab: the simulated containers have no processes to attach to`,
      ),
    );
  }
  if (rr.verb === 'watch') return streamWatch(lab, rr, req, res, watches);
  const r = lab.api.request(rr);
  lab.api.flush();
  if (r.contentType === 'text/plain' && r.status < 300) {
    res
      .writeHead(r.status, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' })
      .end(String(r.body));
    return;
  }
  send(res, { status: r.status, body: r.body }, r.warnings ?? []);
}

/**
 * The Supervisor's login, as the kubectl vsphere plugin calls it: Basic credentials of an SSO user in,
 * a session token out (valid 10 hours of lab time).
 */
/**
 * POST /wcp/login: Basic credentials give a session token. With a body naming a TKC
 * (`{"guest_cluster_name", "guest_cluster_namespace"}`) the answer also carries the guest cluster's
 * server: on this loopback endpoint, its /clusters/<space> path, as its VIP is not reachable from here.
 */
async function wcpLogin(lab: Lab, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const user =
    colon > 0 ? authenticateSso(lab.world, decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
  if (!user) return send(res, { status: 401, body: { error: 'the username or password is incorrect' } });
  const raw = await readBody(req);
  if (!Buffer.isBuffer(raw)) return send(res, raw);
  let guest: { guest_cluster_name?: unknown; guest_cluster_namespace?: unknown } = {};
  if (raw.length) {
    try {
      guest = JSON.parse(raw.toString('utf8')) as typeof guest;
    } catch {
      return send(res, { status: 400, body: { error: 'the request body is not JSON' } });
    }
  }
  let server: string | undefined;
  if (guest && typeof guest === 'object' && guest.guest_cluster_name !== undefined) {
    const t =
      typeof guest.guest_cluster_name === 'string' && typeof guest.guest_cluster_namespace === 'string'
        ? tkcLogin(lab.world, user, guest.guest_cluster_namespace, guest.guest_cluster_name)
        : undefined;
    if (!t)
      return send(res, {
        status: 404,
        body: {
          error: `Unable to find a Tanzu Kubernetes cluster "${String(guest.guest_cluster_name)}" in vSphere Namespace "${String(guest.guest_cluster_namespace)}", or you have no access to it.`,
        },
      });
    server = `/clusters/${encodeURIComponent(t.space)}`;
  }
  const { token } = mintToken(lab, user);
  send(res, {
    status: 200,
    body: { session_id: token, ...(server ? { guest_cluster_server: server } : {}) },
  });
}

function sendOr404(res: ServerResponse, body: unknown): void {
  if (body === undefined)
    send(res, status(404, 'NotFound', 'the server could not find the requested resource'));
  else send(res, { status: 200, body });
}

// Watch events share one frozen object across watchers: serialise each once per shape.
const eventLines = new WeakMap<object, string>();

/** A watcher whose client stops reading is dropped once this much output waits for it. */
const MAX_WATCH_BACKLOG = 16 * 1024 * 1024;
/** Watches end after timeoutSeconds (kubectl asks for one), at most this long: clients then re-watch. */
const MAX_WATCH_SECONDS = 3600;

function streamWatch(
  lab: Lab,
  rr: ResourceRequest,
  req: IncomingMessage,
  res: ServerResponse,
  watches: Set<() => void>,
): void {
  const asTable = rr.table === true;
  const line = (e: WatchEvent): string => {
    if (asTable && e.type !== 'ERROR' && e.type !== 'BOOKMARK') {
      return `${JSON.stringify({ type: e.type, object: lab.api.watchEventTable(rr, e.object as never) })}\n`;
    }
    let text = eventLines.get(e.object);
    if (text === undefined || !text.startsWith(`{"type":"${e.type}"`)) {
      text = `${JSON.stringify({ type: e.type, object: e.object })}\n`;
      if (Object.isFrozen(e.object)) eventLines.set(e.object, text);
    }
    return text;
  };
  // Events replayed while the watch starts are held until the response headers are out.
  let started = false;
  let stopped = false;
  const held: string[] = [];
  let stop = () => {};
  const write = (e: WatchEvent) => {
    if (stopped) return;
    const text = line(e);
    if (!started) {
      held.push(text);
      return;
    }
    res.write(text);
    if (e.type === 'ERROR' || res.writableLength > MAX_WATCH_BACKLOG) stop();
  };
  const result = lab.api.watch(rr, write);
  if ('error' in result) return send(res, { status: result.error.status, body: result.error.body });
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  const requested = Number(rr.query?.timeoutSeconds ?? 1800);
  const timeout = Number.isFinite(requested) && requested > 0 ? Math.min(requested, MAX_WATCH_SECONDS) : 1800;
  const timer = setTimeout(() => stop(), timeout * 1000);
  stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    result.watch.dispose();
    watches.delete(stop);
    res.end();
  };
  watches.add(stop);
  req.on('close', stop);
  started = true;
  for (const text of held) res.write(text);
  if (held.some((t) => t.startsWith('{"type":"ERROR"'))) stop();
}
