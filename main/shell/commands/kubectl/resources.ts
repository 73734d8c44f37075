// Resource arguments as kubectl's resource builder reads them: `TYPE[,TYPE…] [NAME…]`, or `TYPE/NAME…`,
// with its messages for the forms it refuses. Types are resolved by the caller.
import type { CommandContext } from '../../session';

export interface ResourceArg {
  type: string;
  /** absent for a list of the type */
  name?: string;
}

/** The resource builder's complaint when no resource is named (get, delete, edit, wait, expose). */
export const NO_RESOURCES =
  "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n";

const NO_NEED =
  "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n";

/** The resources named by `args`, or kubectl's error for a malformed form. */
export function resourceArgs(args: string[]): ResourceArg[] | string {
  if (!args.some((a) => a.includes('/'))) {
    const [types = '', ...names] = args;
    return types
      .split(',')
      .flatMap((type) => (names.length ? names.map((name) => ({ type, name })) : [{ type }]));
  }
  if (!args[0]!.includes('/')) return NO_NEED;
  const out: ResourceArg[] = [];
  for (const a of args) {
    const slash = a.indexOf('/');
    if (a.indexOf('/', slash + 1) >= 0)
      return 'error: arguments in resource/name form may not have more than one slash\n';
    if (slash <= 0 || slash === a.length - 1)
      return 'error: arguments in resource/name form must have a single resource and name\n';
    out.push({ type: a.slice(0, slash), name: a.slice(slash + 1) });
  }
  return out;
}

/** The resources named by `args` for a command that needs one at least; undefined once kubectl's error is written. */
export function requiredResourceArgs(ctx: CommandContext, args: string[]): ResourceArg[] | undefined {
  if (!args.length) {
    ctx.err(NO_RESOURCES);
    return undefined;
  }
  const parsed = resourceArgs(args);
  if (typeof parsed === 'string') {
    ctx.err(parsed);
    return undefined;
  }
  return parsed;
}
