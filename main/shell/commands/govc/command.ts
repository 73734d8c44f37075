// What every govc command is made of: its flags, a run function over the lab, and the errors govc
// prints as `govc: MESSAGE` with exit status 1. The shell reaches the lab through the API client of the
// `vcenter` space (lab.world.vc), acting as the vSphere administrator.
import type { ApiClient } from '../../../api/client';
import type { Lab } from '../../../sim/lab';
import type { FlagSet } from './flags';
import { Finder, resolveDatacenter } from './finder';
import { goJson, tabwrite } from './output';
import { Inventory } from './tree';

/** A failure govc reports as `govc: MESSAGE`. */
export class GovcError extends Error {}

/** The administrator govc logs in as (GOVC_URL's user in a real setup). */
export const GOVC_USER = 'administrator@vsphere.local';

export interface GovcContext {
  lab: Lab;
  vc: ApiClient;
  out(text: string): void;
  err(text: string): void;
  signal: AbortSignal;
  /** the inventory as it is now (read again after changes) */
  inventory(): Inventory;
  /** forget the inventory read so far (after a change) */
  refresh(): void;
  /** a finder in the -dc datacenter, or the only one */
  finder(fs: FlagSet): Finder;
  /** prints a result as govc does: -json, or the text layout (through the tab writer when asked) */
  write(fs: FlagSet, json: () => unknown, text: () => string, tabbed?: boolean): void;
}

export interface GovcCommand {
  name: string;
  /** what follows [OPTIONS] in the usage line */
  usage?: string;
  description: string;
  flags(fs: FlagSet): void;
  run(ctx: GovcContext, fs: FlagSet): void | Promise<void>;
}

/** ClientFlag: the connection flags. The lab is its own vCenter, so they are accepted and ignored. */
export function clientFlags(fs: FlagSet): FlagSet {
  return fs
    .string('cert', 'Certificate [GOVC_CERTIFICATE]')
    .bool('debug', 'Store debug logs [GOVC_DEBUG]')
    .bool('trace', 'Write SOAP/REST traffic to stderr')
    .bool('verbose', 'Write request/response data to stderr')
    .bool('k', 'Skip verification of server certificate [GOVC_INSECURE]')
    .string('key', 'Private key [GOVC_PRIVATE_KEY]')
    .bool('persist-session', 'Persist session to disk [GOVC_PERSIST_SESSION]', true)
    .string('tls-ca-certs', 'TLS CA certificates file [GOVC_TLS_CA_CERTS]')
    .string('tls-known-hosts', 'TLS known hosts file [GOVC_TLS_KNOWN_HOSTS]')
    .string('u', 'ESX or vCenter URL [GOVC_URL]')
    .string('vim-namespace', 'Vim namespace [GOVC_VIM_NAMESPACE]', 'urn:vim25')
    .string('vim-version', 'Vim version [GOVC_VIM_VERSION]', '8.0.3.0');
}

/** OutputFlag (only -json: the lab does not write XML or Go dumps). */
export function outputFlags(fs: FlagSet): FlagSet {
  return fs.bool('json', 'Enable JSON output');
}

/** DatacenterFlag: client, output and -dc. */
export function datacenterFlags(fs: FlagSet): FlagSet {
  return outputFlags(clientFlags(fs)).string('dc', 'Datacenter [GOVC_DATACENTER]');
}

export function makeContext(
  lab: Lab,
  io: { out(t: string): void; err(t: string): void; signal: AbortSignal },
): GovcContext {
  let cached: Inventory | undefined;
  const ctx: GovcContext = {
    lab,
    vc: lab.world.vc,
    out: io.out,
    err: io.err,
    signal: io.signal,
    inventory: () => (cached ??= new Inventory(lab.world.vc)),
    refresh: () => {
      cached = undefined;
    },
    finder: (fs) => {
      const inv = ctx.inventory();
      return new Finder(inv, resolveDatacenter(inv, fs.has('dc') ? fs.str('dc') : ''));
    },
    write: (fs, json, text, tabbed = false) => {
      if (fs.has('json') && fs.flag('json')) io.out(goJson(json()));
      else {
        const t = text();
        io.out(tabbed ? tabwrite(t) : t);
      }
    },
  };
  return ctx;
}

/** `Usage: govc NAME [OPTIONS] USAGE`, the description and the flags, as `govc NAME -h` prints them. */
export function commandHelp(cmd: GovcCommand, fs: FlagSet): string {
  let text = `Usage: govc ${cmd.name} [OPTIONS]${cmd.usage ? ` ${cmd.usage}` : ''}\n`;
  if (cmd.description) text += `\n${cmd.description}\n`;
  const flags = fs.all();
  if (flags.length) {
    text += '\nOptions:\n';
    text += tabwrite(flags.map((f) => `\t-${f.name}=${f.def}\t${f.usage}\n`).join(''));
  }
  return text;
}
