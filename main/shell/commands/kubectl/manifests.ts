// Manifests as kubectl reads them for -f: a workspace file, every .yaml/.yml/.json file of a folder, or
// `-` for stdin; multi-document YAML; `kind: List` expanded into its items.
import { parseAllDocuments } from 'yaml';
import { resolvePath } from '../../../store/files';
import type { KubeObject } from '../../../api/types';
import type { CommandContext } from '../../session';

export interface Manifest {
  source: string;
  object: KubeObject;
}

export class ManifestError extends Error {}

function parseDocs(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [0, 0];
      throw new ManifestError(
        `error: error parsing ${source}: error converting YAML to JSON: yaml: line ${line}, column ${col}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '')}`,
      );
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value))
      throw new ManifestError(
        `error: error validating "${source}": error validating data: invalid object to validate`,
      );
    const obj = value as KubeObject;
    if (obj.kind === 'List' && Array.isArray((obj as { items?: unknown }).items)) {
      for (const item of (obj as unknown as { items: KubeObject[] }).items)
        out.push({ source, object: item });
    } else out.push({ source, object: obj });
  }
  return out;
}

/** Reads every -f value; throws ManifestError with kubectl's message when a path or document is bad. */
export function readManifests(ctx: CommandContext, files: string[]): Manifest[] {
  const out: Manifest[] = [];
  for (const f of files) {
    if (f === '-') {
      out.push(...parseDocs(ctx.stdin, 'STDIN'));
      continue;
    }
    const ws = ctx.session.workspace;
    const path = resolvePath(ctx.session.cwd, f);
    const st = ws.stat(path);
    if (!st) throw new ManifestError(`error: the path "${f}" does not exist`);
    if (!st.dir) {
      out.push(...parseDocs(ws.read(path), f));
      continue;
    }
    for (const e of ws
      .list(path)
      .filter((x) => !x.dir && /\.(ya?ml|json)$/.test(x.path))
      .sort((a, b) => a.path.localeCompare(b.path))) {
      out.push(
        ...parseDocs(ws.read(e.path), `${f.replace(/\/$/, '')}/${e.path.slice(e.path.lastIndexOf('/') + 1)}`),
      );
    }
  }
  if (out.length === 0) throw new ManifestError('error: no objects passed to apply');
  return out;
}
