// `govc COMMAND [OPTIONS] [ARGS]`: govmomi's CLI against the lab's vCenter, as the vSphere
// administrator. Usage, unknown commands, -h and errors behave as govc's own (exit status 1 and
// `govc: MESSAGE` on stderr); a failed command changes nothing.
import { ApiError } from '../../../api/errors';
import type { Lab } from '../../../sim/lab';
import type { CommandFn } from '../../session';
import { clusterChange, clusterUsage } from './cluster';
import { commandHelp, GovcError, makeContext, type GovcCommand } from './command';
import { FlagError, FlagSet, HelpRequest } from './flags';
import { hostInfo, hostMaintenanceEnter, hostMaintenanceExit } from './hosts';
import { about, find, ls } from './inventory';
import { namespaceClusterDisable, namespaceClusterEnable, namespaceClusterLs } from './namespace';
import { vsphereNamespaceCommands } from './vspherenamespace';
import { permissionsLs, permissionsRemove, permissionsSet } from './permissions';
import {
  ssoGroupCreate,
  ssoGroupLs,
  ssoGroupRm,
  ssoGroupUpdate,
  ssoUserCreate,
  ssoUserId,
  ssoUserLs,
  ssoUserRm,
} from './sso';
import { libraryLs, storagePolicyLs } from './storage';
import { vmInfo } from './vm';
import { volumeLs } from './volume';

export const govcCommands: GovcCommand[] = [
  about,
  ls,
  find,
  hostInfo,
  hostMaintenanceEnter,
  hostMaintenanceExit,
  vmInfo,
  clusterChange,
  clusterUsage,
  namespaceClusterLs,
  namespaceClusterEnable,
  namespaceClusterDisable,
  ...vsphereNamespaceCommands,
  libraryLs,
  storagePolicyLs,
  volumeLs,
  permissionsLs,
  permissionsSet,
  permissionsRemove,
  ssoUserLs,
  ssoUserCreate,
  ssoUserRm,
  ssoUserId,
  ssoGroupLs,
  ssoGroupCreate,
  ssoGroupUpdate,
  ssoGroupRm,
];

const table = new Map(govcCommands.map((c) => [c.name, c]));

/** govc's general help, or with a filter that matches names, its "did you mean" list. */
function generalHelp(filter: string): string {
  const names = [...table.keys()].sort();
  const matches = filter ? names.filter((n) => n.includes(filter)) : [];
  if (matches.length)
    return `govc: command '${filter}' not found, did you mean:\n${matches.map((n) => `  ${n}\n`).join('')}`;
  return `Usage: govc <COMMAND> [COMMON OPTIONS] [PATH]...

govmomi is a Go library for interacting with VMware vSphere APIs (ESXi and/or
vCenter Server).
It is licensed under the Apache License, Version 2.0

govc is the CLI for govmomi.

The available commands are listed below. A detailed description of each
command can be displayed with "govc <COMMAND> -h". The description of all
commands can be also found at https://github.com/vmware/govmomi/blob/main/govc/USAGE.md.

Examples:
  show usage of a command:       govc <COMMAND> -h
  show toplevel structure:       govc ls
  show datacenter summary:       govc datacenter.info
  show all VMs:                  govc find -type m
  upload a ISO file:             govc datastore.upload -ds datastore1 ./config.iso vm-name/config.iso

Common options:
  -h                        Show this message
  -cert=                    Certificate [GOVC_CERTIFICATE]
  -debug=false              Store debug logs [GOVC_DEBUG]
  -trace=false              Write SOAP/REST traffic to stderr
  -verbose=false            Write request/response data to stderr
  -dump=false               Enable output dump
  -json=false               Enable JSON output
  -xml=false                Enable XML output
  -k=false                  Skip verification of server certificate [GOVC_INSECURE]
  -key=                     Private key [GOVC_PRIVATE_KEY]
  -persist-session=true     Persist session to disk [GOVC_PERSIST_SESSION]
  -tls-ca-certs=            TLS CA certificates file [GOVC_TLS_CA_CERTS]
  -tls-known-hosts=         TLS known hosts file [GOVC_TLS_KNOWN_HOSTS]
  -u=                       ESX or vCenter URL [GOVC_URL]
  -vim-namespace=urn:vim25  Vim namespace [GOVC_VIM_NAMESPACE]
  -vim-version=6.0          Vim version [GOVC_VIM_VERSION]
  -dc=                      Datacenter [GOVC_DATACENTER]
  -host.dns=                Find host by FQDN
  -host.ip=                 Find host by IP address
  -host.ipath=              Find host by inventory path
  -host.uuid=               Find host by UUID
  -vm.dns=                  Find VM by FQDN
  -vm.ip=                   Find VM by IP address
  -vm.ipath=                Find VM by inventory path
  -vm.path=                 Find VM by path to .vmx file
  -vm.uuid=                 Find VM by UUID

Available commands:
${names.map((n) => `  ${n}\n`).join('')}`;
}

const isHelp = (arg: string) => ['h', 'help'].includes(arg.replace(/^-+/, ''));

export function govcCommand(lab: Lab): CommandFn {
  return async ({ argv, out, err, signal }) => {
    const args = argv.slice(1);
    if (!args.length) {
      err(generalHelp(''));
      return 1;
    }
    const name = args[0]!;
    const cmd = table.get(name);
    if (!cmd) {
      const help = isHelp(name);
      (help ? out : err)(generalHelp(name));
      return help ? 0 : 1;
    }
    const fs = new FlagSet();
    cmd.flags(fs);
    const ctx = makeContext(lab, { out, err, signal });
    try {
      fs.parse(args.slice(1));
      await cmd.run(ctx, fs);
      return 0;
    } catch (e) {
      if (e instanceof HelpRequest) {
        const toOut = args.length === 2 && isHelp(args[1]!);
        (toOut ? out : err)(commandHelp(cmd, fs));
        return toOut ? 0 : 1;
      }
      if (e instanceof GovcError || e instanceof FlagError) {
        err(`govc: ${e.message}\n`);
        return 1;
      }
      if (e instanceof ApiError) {
        err(`govc: ServerFaultCode: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  };
}
