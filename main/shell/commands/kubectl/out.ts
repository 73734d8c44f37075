// What the generator and workload subcommands share: kubectl's printers for what they made (-o json,
// yaml, name, or "TYPE/NAME created"), and its words for the errors the server sends back.
import type { Status } from '../../../api/types';
import type { CommandContext } from '../../session';
import { sortKeys } from './common';
import { kubectlYaml } from './get';
import { typed, typedJson } from './typed';

export const OUTPUTS = ['', 'json', 'yaml', 'name'];

/** kubectl's PrintFlags refusing a format (those it has and the lab shell has not are refused alike). */
export const badOutput = (o: string) =>
  `error: unable to match a printer suitable for the output format "${o}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n`;

/** Prints an object made or changed, as kubectl's PrintFlags with an operation ("created") do. */
export function printObject(
  ctx: CommandContext,
  obj: Record<string, unknown>,
  label: string,
  output: string,
  operation: string,
): void {
  const name = (obj.metadata as { name?: string } | undefined)?.name ?? '';
  if (output === 'json') ctx.out(typedJson(obj));
  else if (output === 'yaml') ctx.out(kubectlYaml(sortKeys(typed(obj))));
  else if (output === 'name') ctx.out(`${label}/${name}\n`);
  else ctx.out(`${label}/${name}${operation ? ` ${operation}` : ''}\n`);
}

/** kubectl's checkErr for an API error: Invalid spelled out with its causes, others "Error from server". */
export function statusError(s: Status): string {
  if (s.reason === 'Invalid') {
    const d = s.details;
    if (!d) return `The request is invalid${s.message ? `: ${s.message}` : ''}\n`;
    let head = 'The request is invalid';
    if (d.kind || d.name) head = `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid`;
    else if (s.message && !d.causes?.length) head += `: ${s.message}`;
    const causes = [...new Set((d.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`))];
    if (causes.length === 0) return `${head}\n`;
    if (causes.length === 1) return `${head}: ${causes[0]}\n`;
    return `${head}: \n${causes.map((c) => `* ${c}\n`).join('')}`;
  }
  if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message})\n`;
  return s.reason ? `Error from server (${s.reason}): ${s.message}\n` : `Error from server: ${s.message}\n`;
}

/** An API error wrapped by fmt.Errorf (no longer a StatusError): kubectl prints "error: " and the text. */
export const wrapped = (prefix: string, s: Status) => `error: ${prefix}${s.message ?? ''}\n`;
