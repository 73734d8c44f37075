// The container images the lab's simulated registries hold: Docker Hub's well-known ones (and the
// Supervisor's Harbor, once images are pushed there). A reference resolves as containerd resolves it
// (`nginx` → docker.io/library/nginx:latest); an unknown repository or tag fails as a real pull fails.
// Each image also says how its container behaves when started — whether it keeps running — and what it
// writes to its log, so `kubectl logs` shows something plausible.

export interface ImageRef {
  registry: string;
  repository: string;
  tag: string;
  /** as written in the pod spec */
  text: string;
}

/** How a known image behaves. */
interface ImageInfo {
  /** tags the registry has: a list, or a pattern */
  tags: RegExp;
  sizeMB: number;
  /** a long-running service (nginx) rather than a tool whose default command exits (busybox) */
  service: boolean;
  /** the first lines the container writes */
  startup?: (ref: ImageRef) => string[];
}

const semver = (extra = '') => new RegExp(`^(latest|\\d+(\\.\\d+){0,2}${extra})$`);

const NGINX_STARTUP = [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
  '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
  '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
];

const DOCKER_HUB: Record<string, ImageInfo> = {
  'library/nginx': {
    tags: /^(latest|stable|mainline|alpine|perl|\d+(\.\d+){0,2}(-alpine|-perl|-bookworm|-alpine-slim)?)$/,
    sizeMB: 70,
    service: true,
    startup: () => NGINX_STARTUP,
  },
  // nginx built to run as an unprivileged user (uid 101, port 8080): what Pod Security's restricted profile needs
  'nginxinc/nginx-unprivileged': {
    tags: /^(latest|stable|mainline|alpine|\d+(\.\d+){0,2}(-alpine)?)$/,
    sizeMB: 70,
    service: true,
    startup: () => NGINX_STARTUP,
  },
  'library/httpd': {
    tags: semver('(-alpine)?'),
    sizeMB: 60,
    service: true,
    startup: () => [
      "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 127.0.0.1. Set the 'ServerName' directive globally to suppress this message",
      'Apache/2.4.58 (Unix) configured -- resuming normal operations',
      "Command line: 'httpd -D FOREGROUND'",
    ],
  },
  'library/redis': {
    tags: semver('(-alpine)?'),
    sizeMB: 45,
    service: true,
    startup: () => [
      '1:C 05 Jan 2026 09:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
      '1:M 05 Jan 2026 09:00:00.000 * Running mode=standalone, port=6379.',
      '1:M 05 Jan 2026 09:00:00.000 * Ready to accept connections tcp',
    ],
  },
  'library/postgres': {
    tags: semver('(-alpine)?'),
    sizeMB: 150,
    service: true,
    startup: () => [
      'PostgreSQL init process complete; ready for start up.',
      'database system is ready to accept connections',
    ],
  },
  'library/mysql': {
    tags: semver(),
    sizeMB: 170,
    service: true,
    startup: () => [
      "mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306",
    ],
  },
  'library/busybox': {
    tags: /^(latest|musl|glibc|uclibc|stable|\d+(\.\d+){0,2}(-musl|-glibc|-uclibc)?)$/,
    sizeMB: 2,
    service: false,
  },
  'library/alpine': { tags: semver(), sizeMB: 4, service: false },
  'library/ubuntu': { tags: /^(latest|jammy|noble|focal|\d+\.\d+)$/, sizeMB: 30, service: false },
  'library/debian': {
    tags: /^(latest|bookworm|bullseye|stable|\d+(\.\d+)?(-slim)?)$/,
    sizeMB: 50,
    service: false,
  },
  'library/python': { tags: semver('(-slim|-alpine)?'), sizeMB: 50, service: false },
  'library/node': {
    tags: /^(latest|lts|alpine|\d+(\.\d+){0,2}(-alpine|-slim)?)$/,
    sizeMB: 60,
    service: false,
  },
  'library/hello-world': {
    tags: /^(latest|linux)$/,
    sizeMB: 1,
    service: false,
    startup: () => [
      '',
      'Hello from Docker!',
      'This message shows that your installation appears to be working correctly.',
      '',
    ],
  },
  'library/traefik': { tags: semver(), sizeMB: 45, service: true },
  'library/memcached': { tags: semver('(-alpine)?'), sizeMB: 30, service: true },
  'library/mongo': {
    tags: semver(),
    sizeMB: 250,
    service: true,
    startup: () => [
      '{"t":{"$date":"2026-01-05T09:00:00.000+00:00"},"s":"I","c":"NETWORK","msg":"Waiting for connections","attr":{"port":27017}}',
    ],
  },
  'library/wordpress': { tags: semver('(-apache|-fpm)?'), sizeMB: 230, service: true },
  'library/rabbitmq': { tags: semver('(-management)?'), sizeMB: 90, service: true },
  'paulbouwer/hello-kubernetes': {
    tags: semver(),
    sizeMB: 40,
    service: true,
    startup: () => ['Listening on: http://hello-kubernetes:8080'],
  },
  'gcr.io/google-samples/hello-app': {
    tags: semver(),
    sizeMB: 10,
    service: true,
    startup: () => ['2026/01/05 09:00:00 Server listening on port 8080'],
  },
  'registry.k8s.io/pause': { tags: semver(), sizeMB: 1, service: true },
};

/** How containerd reads an image reference. */
export function parseImage(text: string): ImageRef | undefined {
  const at = text.indexOf('@');
  const withoutDigest = at < 0 ? text : text.slice(0, at);
  if (!/^[a-z0-9][a-z0-9._/:-]*$/i.test(withoutDigest)) return undefined;
  const slash = withoutDigest.indexOf('/');
  const first = slash < 0 ? '' : withoutDigest.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let rest = hasRegistry ? withoutDigest.slice(slash + 1) : withoutDigest;
  const colon = rest.lastIndexOf(':');
  let tag = 'latest';
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!rest || !tag) return undefined;
  const repository = registry === 'docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  return { registry, repository, tag, text };
}

export type PullResult =
  { ok: true; sizeMB: number; service: boolean; startup: string[] } | { ok: false; message: string };

/** Pulls from the simulated registries (Harbor's projects are given by the caller). */
export function pull(text: string, harbor?: (ref: ImageRef) => boolean): PullResult {
  const ref = parseImage(text);
  if (!ref)
    return {
      ok: false,
      message: `failed to pull and unpack image "${text}": failed to resolve reference "${text}": invalid reference format`,
    };
  const full = `${ref.registry}/${ref.repository}:${ref.tag}`;
  if (harbor?.(ref)) return { ok: true, sizeMB: 50, service: true, startup: [] };
  const key = ref.registry === 'docker.io' ? ref.repository : `${ref.registry}/${ref.repository}`;
  const info = DOCKER_HUB[key];
  if (!info)
    return {
      ok: false,
      message: `failed to pull and unpack image "${full}": failed to resolve reference "${full}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
    };
  if (!info.tags.test(ref.tag))
    return {
      ok: false,
      message: `failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`,
    };
  return { ok: true, sizeMB: info.sizeMB, service: info.service, startup: info.startup?.(ref) ?? [] };
}

/** Lab time a pull takes: a second, plus a second per 50 MB, as a lab's network would do it. */
export const pullTimeMs = (sizeMB: number): number => 1000 + Math.round((sizeMB / 50) * 1000);
