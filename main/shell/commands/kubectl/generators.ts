// kubectl create's generator forms in the lab shell — deployment, service, secret, configmap, namespace,
// serviceaccount — building the objects kubectl 1.32 builds, sending them as it does (or not, for
// --dry-run=client) and printing them through its typed printers. `create -f` stays in apply.ts.
import type { ApiServer } from '../../../api/server';
import type { KubeObject, Status } from '../../../api/types';
import { resolvePath } from '../../../store/files';
import type { CommandContext } from '../../session';
import type { KubectlContext } from './index';
import { klog, parse, usageError, withFlags, type Flag, type FlagSet } from './kflags';
import { badOutput, OUTPUTS, printObject, statusError, wrapped } from './out';
import { goMarshal, typed } from './typed';
import { LAST_APPLIED } from './apply';

/** The context with what the dispatcher knows: whether a global -n came before the subcommand. */
export interface WorkloadContext extends KubectlContext {
  /** -n/--namespace was given before the subcommand (kubectl then sets it on client dry-run objects) */
  namespaceSet?: boolean;
}

/** The generators kubectl create has, by name and alias; those the lab shell builds have a function. */
const CANONICAL: Record<string, string> = {
  namespace: 'namespace',
  ns: 'namespace',
  secret: 'secret',
  configmap: 'configmap',
  cm: 'configmap',
  serviceaccount: 'serviceaccount',
  sa: 'serviceaccount',
  service: 'service',
  svc: 'service',
  deployment: 'deployment',
  deploy: 'deployment',
  quota: 'quota',
  resourcequota: 'quota',
  clusterrole: 'clusterrole',
  clusterrolebinding: 'clusterrolebinding',
  role: 'role',
  rolebinding: 'rolebinding',
  poddisruptionbudget: 'poddisruptionbudget',
  pdb: 'poddisruptionbudget',
  priorityclass: 'priorityclass',
  pc: 'priorityclass',
  job: 'job',
  cronjob: 'cronjob',
  cj: 'cronjob',
  ingress: 'ingress',
  ing: 'ingress',
  token: 'token',
};

/** Flags of create itself that take a value as the next argument (to find the subcommand after them). */
const CREATE_VALUE_FLAGS = new Set([
  '-f',
  '--filename',
  '-n',
  '--namespace',
  '-o',
  '--output',
  '-l',
  '--selector',
]);

/** The generator a `kubectl create` argument list names, if any (cobra finds it past create's own flags). */
export function generatorOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      if (CREATE_VALUE_FLAGS.has(a)) i++;
      continue;
    }
    return CANONICAL[a];
  }
  return undefined;
}

/** Flags of every command that makes an object and prints it: dry run, printer, save-config, field manager. */
const MAKING: Flag[] = [
  { long: 'dry-run', kind: 'string', bare: 'unchanged' },
  { long: 'output', short: 'o', kind: 'string' },
  { long: 'save-config', kind: 'bool' },
  { long: 'field-manager', kind: 'string' },
  { long: 'template', kind: 'string' },
  { long: 'show-managed-fields', kind: 'bool' },
  { long: 'allow-missing-template-keys', kind: 'bool' },
];

/** Flags every typed create subcommand has. */
const COMMON: Flag[] = [...MAKING, { long: 'validate', kind: 'string', bare: 'strict' }];

/** Flags of run and expose: those of a command that makes an object, and --overrides for it. */
export const OVERRIDABLE: Flag[] = [
  ...MAKING,
  { long: 'overrides', kind: 'string' },
  { long: 'override-type', kind: 'string' },
];

export type DryMode = 'none' | 'client' | 'server';

/** cmdutil.GetDryRunStrategy: the mode, kubectl's deprecation warning, or its error. */
export function dryRunStrategy(
  f: FlagSet,
  now: Date,
): { mode: DryMode; warning?: string } | { error: string } {
  const v = f.str('dry-run') ?? 'none';
  const bool: Record<string, boolean> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true };
  const falsy = ['0', 'f', 'F', 'FALSE', 'false', 'False'];
  if (v in bool)
    return {
      mode: 'client',
      warning: klog(
        'W',
        now,
        'helpers.go:716',
        `--dry-run=${v} is deprecated (boolean value) and can be replaced with --dry-run=client.`,
      ),
    };
  if (falsy.includes(v))
    return {
      mode: 'none',
      warning: klog(
        'W',
        now,
        'helpers.go:719',
        `--dry-run=${v} is deprecated (boolean value) and can be replaced with --dry-run=none.`,
      ),
    };
  if (v === 'unchanged')
    return {
      mode: 'client',
      warning: klog(
        'W',
        now,
        'helpers.go:702',
        '--dry-run is deprecated and can be replaced with --dry-run=client.',
      ),
    };
  if (v === 'client' || v === 'server' || v === 'none') return { mode: v };
  return { error: `error: Invalid dry-run value (${v}). Must be "none", "server", or "client".\n` };
}

/**
 * The first steps of Complete() in a command that makes and prints an object: the dry-run mode (its
 * deprecation warning written) and an output kubectl can print; undefined once the error is written.
 */
export function dryRunAndOutput(
  ctx: CommandContext,
  k: KubectlContext,
  f: FlagSet,
): { mode: DryMode; output: string } | undefined {
  const dry = dryRunStrategy(f, k.now());
  if ('error' in dry) {
    ctx.err(dry.error);
    return undefined;
  }
  if (dry.warning) ctx.err(dry.warning);
  const output = f.str('output') ?? '';
  if (!OUTPUTS.includes(output)) {
    ctx.err(badOutput(output));
    return undefined;
  }
  return { mode: dry.mode, output };
}

export const operation = (mode: DryMode, op = 'created') =>
  `${op}${mode === 'server' ? ' (server dry run)' : mode === 'client' ? ' (dry run)' : ''}`;

/** cmdutil.GetValidationDirective, as the fieldValidation query parameter. */
function validation(f: FlagSet): string | { error: string } {
  const v = (f.str('validate') ?? 'strict').toLowerCase();
  if (v === 'true' || v === 'strict') return 'Strict';
  if (v === 'warn') return 'Warn';
  if (v === 'false' || v === 'ignore') return 'Ignore';
  return {
    error: `error: invalid - validate option "${f.str('validate')}"; must be one of: strict (or true), warn, ignore (or false)\n`,
  };
}

/** util.CreateOrUpdateAnnotation: the object as Go encodes it, kept in last-applied-configuration. */
export function withLastApplied(obj: KubeObject): KubeObject {
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const bare = { ...obj, metadata: { ...obj.metadata, annotations } };
  if (!Object.keys(annotations).length) delete (bare.metadata as { annotations?: unknown }).annotations;
  const text = `${goMarshal(typed(bare as unknown as Record<string, unknown>))}\n`;
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...annotations, [LAST_APPLIED]: text } } };
}

/** What a typed create subcommand needs once its flags and NAME are read. */
interface Created {
  f: FlagSet;
  name: string;
  mode: DryMode;
  output: string;
  fieldValidation: string;
  /** the namespace objects go to; `enforced` when -n was given (then set on client dry runs too) */
  namespace: string;
  enforced: boolean;
}

/** Complete() of the typed create subcommands: NAME, dry run, printer, validation — kubectl's order. */
function complete(ctx: CommandContext, k: WorkloadContext, path: string, f: FlagSet): Created | undefined {
  const count = f.dashAt < 0 ? f.args.length : f.dashAt;
  if (count !== 1) {
    ctx.err(usageError(path, `exactly one NAME is required, got ${count}`));
    return undefined;
  }
  const dry = dryRunAndOutput(ctx, k, f);
  if (!dry) return undefined;
  const fv = validation(f);
  if (typeof fv !== 'string') {
    ctx.err(fv.error);
    return undefined;
  }
  const ns = f.str('namespace');
  return {
    f,
    name: f.args[0]!,
    mode: dry.mode,
    output: dry.output,
    fieldValidation: fv,
    namespace: ns ?? k.namespace,
    enforced: ns !== undefined || k.namespaceSet === true,
  };
}

/**
 * Sends a generated object (unless a client dry run) and prints what came back. `failure` words the
 * server's refusal as the subcommand does (most wrap it: "failed to create deployment: …").
 */
function send(
  api: ApiServer,
  k: WorkloadContext,
  ctx: CommandContext,
  c: Created,
  obj: KubeObject,
  target: { group: string; version: string; resource: string; namespaced: boolean; label: string },
  failure: (s: Status) => string,
): number {
  let body = obj;
  if (c.f.bool('save-config')) body = withLastApplied(body);
  if (c.mode === 'client') {
    if (c.enforced && target.namespaced)
      body = { ...body, metadata: { ...body.metadata, namespace: c.namespace } };
    printObject(ctx, body as unknown as Record<string, unknown>, target.label, c.output, operation(c.mode));
    return 0;
  }
  const r = api.request({
    user: k.user,
    cluster: k.space,
    group: target.group,
    version: target.version,
    resource: target.resource,
    namespace: target.namespaced ? c.namespace : undefined,
    verb: 'create',
    body,
    query: {
      fieldManager: c.f.str('field-manager') ?? 'kubectl-create',
      fieldValidation: c.fieldValidation,
      ...(c.mode === 'server' ? { dryRun: 'All' } : {}),
    },
  });
  if (r.status >= 400) {
    ctx.err(failure(r.body as Status));
    return 1;
  }
  printObject(ctx, r.body as Record<string, unknown>, target.label, c.output, operation(c.mode));
  return 0;
}

const CORE = (resource: string, label: string, namespaced = true) => ({
  group: '',
  version: 'v1',
  resource,
  namespaced,
  label,
});

// ---- deployment -----------------------------------------------------------------------------------

/** utilrand.String(5), from a seed: kubectl's random suffix, made repeatable for the lab. */
function suffix(seed: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.imul(h ^ (i + 1), 16777619) >>> 0;
  }
  return out;
}

/** The container name create deployment gives an image: its last path segment, without tag or digest. */
export function containerNameFor(image: string): string {
  let name = image.split('/').pop()!;
  if (name.includes(':')) name = name.split(':')[0]!;
  if (name.includes('@')) name = name.split('@')[0]!;
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${suffix(image)}`;
  return name;
}

function createDeployment(api: ApiServer, k: WorkloadContext, ctx: CommandContext, argv: string[]): number {
  const f = parse(argv, [
    ...COMMON,
    { long: 'image', kind: 'slice', required: true },
    { long: 'port', kind: 'int32' },
    { long: 'replicas', short: 'r', kind: 'int32' },
  ]);
  const c = complete(ctx, k, 'create deployment', f);
  if (!c) return 1;
  const images = f.list('image');
  const command = f.args.slice(1);
  if (images.length > 1 && command.length) {
    ctx.err('error: cannot specify multiple --image options and command\n');
    return 1;
  }
  const labels = { app: c.name };
  const port = f.num('port') ?? -1;
  const containers = images.map((image, i) => ({
    name: containerNameFor(image),
    image,
    ...(command.length ? { command } : {}),
    resources: {},
    ...(i === 0 && port >= 0 ? { ports: [{ containerPort: port }] } : {}),
  }));
  const deploy: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: c.name, labels },
    spec: {
      replicas: f.num('replicas') ?? 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers } },
    },
  };
  return send(
    api,
    k,
    ctx,
    c,
    deploy,
    { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, label: 'deployment.apps' },
    (s) => wrapped('failed to create deployment: ', s),
  );
}

function createJob(api: ApiServer, k: WorkloadContext, ctx: CommandContext, argv: string[]): number {
  const f = parse(argv, [...COMMON, { long: 'image', kind: 'string' }, { long: 'from', kind: 'string' }]);
  const c = complete(ctx, k, 'create job', f);
  if (!c) return 1;
  const image = f.str('image');
  if (!image && !f.str('from')) {
    ctx.err('error: either --image or --from must be specified\n');
    return 1;
  }
  if (f.str('from')) {
    ctx.err('error: kubectl create job --from is not available in the lab shell (there are no CronJobs)\n');
    return 1;
  }
  const command = f.args.slice(1);
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: c.name },
    spec: {
      template: {
        metadata: {},
        spec: {
          containers: [{ name: c.name, image, ...(command.length ? { command } : {}), resources: {} }],
          restartPolicy: 'Never',
        },
      },
    },
  };
  return send(
    api,
    k,
    ctx,
    c,
    job,
    { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true, label: 'job.batch' },
    (s) => wrapped('failed to create job: ', s),
  );
}

// ---- service --------------------------------------------------------------------------------------

const SERVICE_HELP = `Create a service using a specified subcommand.

Aliases:
service, svc

Available Commands:
  clusterip      Create a ClusterIP service
  externalname   Create an ExternalName service
  loadbalancer   Create a LoadBalancer service
  nodeport       Create a NodePort service

Usage:
  kubectl create service [flags] [options]

Use "kubectl create service <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

/** k8s.io/apimachinery's IsValidPortName, joined as create service reports it. */
function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens (-)');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen (-)');
  return errs;
}

/** Go's strconv.ParseUint(s, 10, 16), as utilsnet.ParsePort calls it. */
function parsePort(s: string): number | string {
  if (!/^[0-9]+$/.test(s)) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  return n > 65535 ? `strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range` : n;
}

/** `--tcp=PORT[:TARGET]` as create service reads it. */
function parseTcp(spec: string): { port: number; targetPort: number | string } | string {
  const parts = spec.split(':');
  const port = parsePort(parts[0]!);
  if (typeof port === 'string') return port;
  if (parts.length === 1) return { port, targetPort: port };
  const t = parts[1]!;
  if (/^[+-]?\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 65535) return 'must be between 1 and 65535, inclusive';
    return { port, targetPort: n };
  }
  const errs = portNameErrors(t);
  return errs.length ? errs.join(',') : { port, targetPort: t };
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function createService(
  api: ApiServer,
  k: WorkloadContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  const [type, ...rest] = argv;
  const types: Record<string, string> = {
    clusterip: 'ClusterIP',
    nodeport: 'NodePort',
    loadbalancer: 'LoadBalancer',
    externalname: 'ExternalName',
  };
  if (type === undefined || type.startsWith('-')) {
    ctx.err(SERVICE_HELP);
    return 1;
  }
  const svcType = types[type];
  if (!svcType) {
    ctx.err(usageError('create service', `unknown command ${JSON.stringify(argv.join(' '))}`));
    return 1;
  }
  const path = `create service ${type}`;
  return withFlags(ctx, path, k.now(), () => {
    const f = parse(rest, [
      ...COMMON,
      { long: 'tcp', kind: 'slice' },
      ...(type === 'clusterip' ? [{ long: 'clusterip', kind: 'string' } as Flag] : []),
      ...(type === 'nodeport' ? [{ long: 'node-port', kind: 'int' } as Flag] : []),
      ...(type === 'externalname' ? [{ long: 'external-name', kind: 'string', required: true } as Flag] : []),
    ]);
    const c = complete(ctx, k, path, f);
    if (!c) return 1;
    const tcp = f.list('tcp');
    const clusterIP = f.str('clusterip') ?? '';
    const externalName = f.str('external-name') ?? '';
    if (clusterIP === 'None' && svcType !== 'ClusterIP') {
      ctx.err('error: ClusterIP=None can only be used with ClusterIP service type\n');
      return 1;
    }
    if (clusterIP !== 'None' && !tcp.length && svcType !== 'ExternalName') {
      ctx.err('error: at least one tcp port specifier must be provided\n');
      return 1;
    }
    if (svcType === 'ExternalName' && !(externalName.length <= 253 && DNS1123_SUBDOMAIN.test(externalName))) {
      ctx.err(`error: invalid service external name ${externalName}\n`);
      return 1;
    }
    const ports = [];
    for (const spec of tcp) {
      const p = parseTcp(spec);
      if (typeof p === 'string') {
        ctx.err(`error: ${p}\n`);
        return 1;
      }
      ports.push({
        name: spec.replace(/:/g, '-'),
        protocol: 'TCP',
        port: p.port,
        targetPort: p.targetPort,
        ...(f.num('node-port') ? { nodePort: f.num('node-port') } : {}),
      });
    }
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: c.name, labels: { app: c.name } },
      spec: {
        ports,
        selector: { app: c.name },
        ...(clusterIP ? { clusterIP } : {}),
        type: svcType,
        ...(externalName ? { externalName } : {}),
      },
    };
    return send(api, k, ctx, c, svc, CORE('services', 'service'), (s) =>
      wrapped(`failed to create ${svcType} service: `, s),
    );
  });
}

// ---- secret and configmap -------------------------------------------------------------------------

const SECRET_HELP = `Create a secret with specified type.

 A docker-registry type secret is for accessing a container registry.

 A generic type secret indicate an Opaque secret type.

 A tls type secret holds TLS certificate and its associated key.

Available Commands:
  docker-registry   Create a secret for use with a Docker registry
  generic           Create a secret from a local file, directory, or literal value
  tls               Create a TLS secret

Usage:
  kubectl create secret (docker-registry | generic | tls) [options]

Use "kubectl create secret <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

class SourceError extends Error {}

/** IsConfigMapKey's complaints about a key. */
function keyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key))
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** util.ParseLiteralSource. */
function literal(source: string): [string, string] {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new SourceError(`invalid literal source ${source}, expected key=value`);
  return [source.slice(0, eq), source.slice(eq + 1)];
}

/** util.ParseFileSource, then the file (or each regular file of a folder) from the workspace. */
function fileEntries(ctx: CommandContext, source: string): [string, string][] {
  const seps = source.split('=').length - 1;
  let key: string;
  let path: string;
  if (seps === 0) {
    path = source;
    key = source.replace(/\/+$/, '').split('/').pop() || source;
  } else if (seps === 1 && source.startsWith('='))
    throw new SourceError(`key name for file path ${source.slice(1)} missing`);
  else if (seps === 1 && source.endsWith('='))
    throw new SourceError(`file path for key name ${source.slice(0, -1)} missing`);
  else if (seps > 1) throw new SourceError("key names or file paths cannot contain '='");
  else [key, path] = source.split('=') as [string, string];
  const ws = ctx.session.workspace;
  const full = resolvePath(ctx.session.cwd, path);
  const st = ws.stat(full);
  if (!st) throw new SourceError(`error reading ${path}: no such file or directory`);
  if (!st.dir) return [[key, ws.read(full)]];
  if (source.includes('=')) throw new SourceError('cannot give a key name for a directory path');
  return ws
    .list(full)
    .filter((e) => !e.dir)
    .map((e) => e.path.slice(e.path.lastIndexOf('/') + 1))
    .sort()
    .map((n) => [n, ws.read(`${full.replace(/\/$/, '')}/${n}`)]);
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** cmdutil.AddFromEnvFile: KEY=value lines, comments and blank lines skipped, bare KEY from the environment. */
function envEntries(ctx: CommandContext, path: string, what: 'secret' | 'config'): [string, string][] {
  const ws = ctx.session.workspace;
  const full = resolvePath(ctx.session.cwd, path);
  const st = ws.stat(full);
  if (!st) throw new SourceError(`error reading ${path}: no such file or directory`);
  if (st.dir) throw new SourceError(`env ${what} file cannot be a directory`);
  const out: [string, string][] = [];
  ws.read(full)
    .split('\n')
    .forEach((raw, i, lines) => {
      if (i === lines.length - 1 && raw === '') return;
      let line = raw.replace(/\r$/, '');
      if (i === 0) line = line.replace(/^\uFEFF/, '');
      line = line.replace(/^\s+/, '');
      if (!line || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = eq < 0 ? line : line.slice(0, eq);
      if (!ENV_NAME.test(key))
        throw new SourceError(
          `${JSON.stringify(key)} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnv1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
        );
      out.push([key, eq < 0 ? (ctx.env.get(key) ?? '') : line.slice(eq + 1)]);
    });
  return out;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function secretData(ctx: CommandContext, f: FlagSet, files: string[]): Record<string, string> {
  const data: Record<string, string> = {};
  const add = (key: string, value: string) => {
    const errs = keyErrors(key);
    if (errs.length)
      throw new SourceError(`${JSON.stringify(key)} is not valid key name for a Secret ${errs.join(';')}`);
    if (key in data) throw new SourceError(`cannot add key ${key}, another key by that name already exists`);
    data[key] = b64(value);
  };
  for (const s of f.list('from-literal')) add(...literal(s));
  for (const s of files) for (const [key, v] of fileEntries(ctx, s)) add(key, v);
  for (const s of f.list('from-env-file')) for (const [key, v] of envEntries(ctx, s, 'secret')) add(key, v);
  return data;
}

/** Go's map order: keys sorted. */
const sorted = (m: Record<string, string>) =>
  Object.fromEntries(
    Object.keys(m)
      .sort()
      .map((key) => [key, m[key]!]),
  );

function createSecret(
  api: ApiServer,
  k: WorkloadContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  const [type, ...rest] = argv;
  if (type === undefined || type.startsWith('-')) {
    ctx.err(SECRET_HELP);
    return 1;
  }
  if (type !== 'generic' && type !== 'docker-registry') {
    if (type === 'tls') {
      ctx.err('error: kubectl create secret tls is not available in the lab shell\n');
      return 1;
    }
    ctx.err(usageError('create secret', `unknown command ${JSON.stringify(argv.join(' '))}`));
    return 1;
  }
  const path = `create secret ${type}`;
  return withFlags(ctx, path, k.now(), () => {
    const generic = type === 'generic';
    const f = parse(rest, [
      ...COMMON,
      { long: 'from-file', kind: 'slice' },
      { long: 'append-hash', kind: 'bool' },
      ...(generic
        ? ([
            { long: 'from-literal', kind: 'array' },
            { long: 'from-env-file', kind: 'slice' },
            { long: 'type', kind: 'string' },
          ] as Flag[])
        : ([
            { long: 'docker-username', kind: 'string' },
            { long: 'docker-password', kind: 'string' },
            { long: 'docker-email', kind: 'string' },
            { long: 'docker-server', kind: 'string' },
          ] as Flag[])),
    ]);
    const c = complete(ctx, k, path, f);
    if (!c) return 1;
    const files = f.list('from-file');
    if (generic && f.list('from-env-file').length && (files.length || f.list('from-literal').length)) {
      ctx.err('error: from-env-file cannot be combined with from-file or from-literal\n');
      return 1;
    }
    const server = f.str('docker-server') ?? 'https://index.docker.io/v1/';
    const [user, password] = [f.str('docker-username') ?? '', f.str('docker-password') ?? ''];
    if (!generic && !files.length && (!user || !password || !server)) {
      ctx.err(
        'error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n',
      );
      return 1;
    }
    let data: Record<string, string>;
    try {
      if (generic || files.length) data = secretData(ctx, f, files);
      else {
        const entry = Object.fromEntries(
          Object.entries({
            username: user,
            password,
            email: f.str('docker-email') ?? '',
            auth: b64(`${user}:${password}`),
          }).filter(([, v]) => v),
        );
        data = {
          '.dockerconfigjson': Buffer.from(goMarshal({ auths: { [server]: entry } })).toString('base64'),
        };
      }
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      ctx.err(`error: ${e.message}\n`);
      return 1;
    }
    const secretType = generic ? (f.str('type') ?? '') : 'kubernetes.io/dockerconfigjson';
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: c.name },
      data: sorted(data),
      ...(secretType ? { type: secretType } : {}),
    };
    return send(api, k, ctx, c, secret, CORE('secrets', 'secret'), (s) =>
      wrapped('failed to create secret ', s),
    );
  });
}

function createConfigMap(api: ApiServer, k: WorkloadContext, ctx: CommandContext, argv: string[]): number {
  const f = parse(argv, [
    ...COMMON,
    { long: 'from-file', kind: 'slice' },
    { long: 'from-literal', kind: 'array' },
    { long: 'from-env-file', kind: 'slice' },
    { long: 'append-hash', kind: 'bool' },
  ]);
  const c = complete(ctx, k, 'create configmap', f);
  if (!c) return 1;
  const files = f.list('from-file');
  if (f.list('from-env-file').length && (files.length || f.list('from-literal').length)) {
    ctx.err('error: from-env-file cannot be combined with from-file or from-literal\n');
    return 1;
  }
  const data: Record<string, string> = {};
  const add = (key: string, value: string) => {
    const errs = keyErrors(key);
    if (errs.length)
      throw new SourceError(
        `${JSON.stringify(key)} is not a valid key name for a ConfigMap: ${errs.join(',')}`,
      );
    if (key in data)
      throw new SourceError(
        `cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(c.name)}`,
      );
    data[key] = value;
  };
  try {
    for (const s of files) for (const [key, v] of fileEntries(ctx, s)) add(key, v);
    for (const s of f.list('from-literal')) add(...literal(s));
    for (const s of f.list('from-env-file')) for (const [key, v] of envEntries(ctx, s, 'config')) add(key, v);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    ctx.err(`error: ${e.message}\n`);
    return 1;
  }
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: c.name },
    data: sorted(data),
  };
  return send(api, k, ctx, c, cm, CORE('configmaps', 'configmap'), (s) =>
    wrapped('failed to create configmap: ', s),
  );
}

// ---- namespace and serviceaccount -----------------------------------------------------------------

function createNamespace(api: ApiServer, k: WorkloadContext, ctx: CommandContext, argv: string[]): number {
  const f = parse(argv, COMMON);
  const c = complete(ctx, k, 'create namespace', f);
  if (!c) return 1;
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.name } };
  return send(api, k, ctx, c, ns, CORE('namespaces', 'namespace', false), statusError);
}

function createServiceAccount(
  api: ApiServer,
  k: WorkloadContext,
  ctx: CommandContext,
  argv: string[],
): number {
  const f = parse(argv, COMMON);
  const c = complete(ctx, k, 'create serviceaccount', f);
  if (!c) return 1;
  const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: c.name } };
  return send(api, k, ctx, c, sa, CORE('serviceaccounts', 'serviceaccount'), (s) =>
    wrapped('failed to create serviceaccount: ', s),
  );
}

// ---- clusterrolebinding, rolebinding ----------------------------------------------------------------

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The subjects of create (cluster)rolebinding: users, groups, then service accounts, as kubectl lists them. */
function bindingSubjects(ctx: CommandContext, f: FlagSet): Record<string, string>[] | undefined {
  const subjects: Record<string, string>[] = [
    ...f.list('user').map((name) => ({ kind: 'User', apiGroup: RBAC_GROUP, name })),
    ...f.list('group').map((name) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name })),
  ];
  for (const sa of f.list('serviceaccount')) {
    const parts = sa.split(':');
    if (parts.length !== 2 || !parts[1]) {
      ctx.err('error: serviceaccount must be <namespace>:<name>\n');
      return undefined;
    }
    subjects.push({ kind: 'ServiceAccount', namespace: parts[0]!, name: parts[1] });
  }
  return subjects;
}

const SUBJECT_FLAGS: Flag[] = [
  { long: 'user', kind: 'array' },
  { long: 'group', kind: 'array' },
  { long: 'serviceaccount', kind: 'array' },
];

/** create clusterrolebinding / rolebinding: the same command for the two kinds, as kubectl has them. */
function createBinding(
  api: ApiServer,
  k: WorkloadContext,
  ctx: CommandContext,
  argv: string[],
  cluster: boolean,
): number {
  const kind = cluster ? 'ClusterRoleBinding' : 'RoleBinding';
  const sub = kind.toLowerCase();
  const f = parse(argv, [
    ...COMMON,
    { long: 'clusterrole', kind: 'string', required: cluster },
    ...(cluster ? [] : [{ long: 'role', kind: 'string' } as Flag]),
    ...SUBJECT_FLAGS,
  ]);
  const c = complete(ctx, k, `create ${sub}`, f);
  if (!c) return 1;
  const clusterRole = f.str('clusterrole') ?? '';
  const role = cluster ? '' : (f.str('role') ?? '');
  if (!cluster && (clusterRole === '') === (role === '')) {
    ctx.err('error: exactly one of clusterrole or role must be specified\n');
    return 1;
  }
  const subjects = bindingSubjects(ctx, f);
  if (!subjects) return 1;
  const binding: KubeObject = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind,
    metadata: { name: c.name },
    roleRef: { apiGroup: RBAC_GROUP, kind: role ? 'Role' : 'ClusterRole', name: role || clusterRole },
    ...(subjects.length ? { subjects } : {}),
  };
  return send(
    api,
    k,
    ctx,
    c,
    binding,
    {
      group: RBAC_GROUP,
      version: 'v1',
      resource: `${sub}s`,
      namespaced: !cluster,
      label: `${sub}.${RBAC_GROUP}`,
    },
    (s) => wrapped(`failed to create ${sub}: `, s),
  );
}

/** `kubectl create GENERATOR …`: argv starts at the generator's name (or create's flags before it). */
export function createGenerated(
  api: ApiServer,
  k: WorkloadContext,
  ctx: CommandContext,
  argv: string[],
): number | Promise<number> {
  // flags given before the generator's name belong to it as well, as cobra reads them
  const at = argv.findIndex((a, i) => !a.startsWith('-') && !CREATE_VALUE_FLAGS.has(argv[i - 1] ?? ''));
  const name = CANONICAL[argv[at]!]!;
  const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  // a group's subcommand (service clusterip, secret generic) comes first among the rest
  const firstArg = rest.findIndex((a, i) => !a.startsWith('-') && !CREATE_VALUE_FLAGS.has(rest[i - 1] ?? ''));
  const grouped =
    firstArg < 0 ? rest : [rest[firstArg]!, ...rest.slice(0, firstArg), ...rest.slice(firstArg + 1)];
  const path = `create ${name}`;
  switch (name) {
    case 'deployment':
      return withFlags(ctx, path, k.now(), () => createDeployment(api, k, ctx, rest));
    case 'service':
      return createService(api, k, ctx, grouped);
    case 'secret':
      return createSecret(api, k, ctx, grouped);
    case 'configmap':
      return withFlags(ctx, path, k.now(), () => createConfigMap(api, k, ctx, rest));
    case 'namespace':
      return withFlags(ctx, path, k.now(), () => createNamespace(api, k, ctx, rest));
    case 'serviceaccount':
      return withFlags(ctx, path, k.now(), () => createServiceAccount(api, k, ctx, rest));
    case 'job':
      return withFlags(ctx, path, k.now(), () => createJob(api, k, ctx, rest));
    case 'clusterrolebinding':
      return withFlags(ctx, path, k.now(), () => createBinding(api, k, ctx, rest, true));
    case 'rolebinding':
      return withFlags(ctx, path, k.now(), () => createBinding(api, k, ctx, rest, false));
    default:
      ctx.err(`error: kubectl create ${name} is not available in the lab shell\n`);
      return 1;
  }
}
