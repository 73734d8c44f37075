// Small pieces every kubectl subcommand shares: how kubectl names a type, its key order, its dry run.
import { isObject } from '../../../api/patch';
import type { ResolvedKind } from '../../../api/registry';

/** Keys sorted at every level, as Go marshals maps. */
export const sortKeys = (x: unknown): unknown =>
  Array.isArray(x)
    ? x.map(sortKeys)
    : isObject(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, sortKeys(x[k])]),
        )
      : x;

/** `deployment.apps/web`, `configmap/settings`: how kubectl names an object in its messages. */
export const typeName = (k: ResolvedKind) => (k.group ? `${k.singular}.${k.group}` : k.singular);

export interface DryRun {
  /** client: nothing is sent; server: writes go with dryRun=All */
  mode: 'none' | 'client' | 'server';
  /** what kubectl adds after "created", "deleted"… */
  suffix: string;
}

/** `--dry-run=none|client|server`, or kubectl's error for another value. */
export function dryRunOf(value: string | boolean | undefined): DryRun | string {
  const mode = value === undefined ? 'none' : value;
  if (mode !== 'none' && mode !== 'client' && mode !== 'server')
    return `error: Invalid dry-run value (${String(mode)}). Must be "none", "server", or "client".\n`;
  return { mode, suffix: mode === 'server' ? ' (server dry run)' : mode === 'client' ? ' (dry run)' : '' };
}
