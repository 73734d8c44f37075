// The workspace: a small file system in the lab database, shared by the shell (cat, ls, >, edit) and the
// YAML editor. Paths are absolute and normalised; directories are explicit; every change is one write.
import type { Store } from './store';

export interface FileEntry {
  path: string;
  dir: boolean;
  size: number;
  mtime: number;
}

export class FsError extends Error {
  constructor(
    readonly code: 'ENOENT' | 'EEXIST' | 'EISDIR' | 'ENOTDIR' | 'ENOTEMPTY' | 'EINVAL',
    readonly path: string,
  ) {
    super(`${code}: ${path}`);
  }
}

/** Resolves `p` against `cwd`: `.`, `..` and repeated slashes, always absolute. */
export function resolvePath(cwd: string, p: string): string {
  const parts: string[] = [];
  for (const seg of (p.startsWith('/') ? p : `${cwd}/${p}`).split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

const parentOf = (p: string) => (p === '/' ? '/' : p.slice(0, p.lastIndexOf('/')) || '/');

type Row = { path: string; dir: number; content: string; mtime: number };

const toEntry = (r: Row): FileEntry => ({
  path: r.path,
  dir: r.dir === 1,
  size: Buffer.byteLength(r.content),
  mtime: r.mtime,
});

export class Workspace {
  /** statements prepared once: the shell stats and reads files on every command */
  private readonly sql;

  constructor(
    private readonly store: Store,
    /** the lab clock, for mtimes */
    private readonly now: () => number,
  ) {
    const db = store.db;
    this.sql = {
      row: db.prepare('SELECT * FROM files WHERE path = ?'),
      upsert: db.prepare(
        'INSERT INTO files (path, dir, content, mtime) VALUES (?, 0, ?, ?) ON CONFLICT (path) DO UPDATE SET content = excluded.content, mtime = excluded.mtime',
      ),
      insert: db.prepare('INSERT INTO files (path, dir, content, mtime) VALUES (?, ?, ?, ?)'),
      remove: db.prepare('DELETE FROM files WHERE path = ?'),
      // everything below a directory, given as `dir/`
      subtree: db.prepare('SELECT * FROM files WHERE path > ? AND path < ? || char(0x10FFFF)'),
      removeSubtree: db.prepare('DELETE FROM files WHERE path > ? AND path < ? || char(0x10FFFF)'),
    };
  }

  private row(path: string): Row | undefined {
    return this.sql.row.get(path) as Row | undefined;
  }

  stat(path: string): FileEntry | undefined {
    const r = this.row(path);
    return r && toEntry(r);
  }

  read(path: string): string {
    const r = this.row(path);
    if (!r) throw new FsError('ENOENT', path);
    if (r.dir) throw new FsError('EISDIR', path);
    return r.content;
  }

  write(path: string, content: string, append = false): void {
    if (path === '/') throw new FsError('EISDIR', path);
    this.store.transaction(() => {
      const parent = this.row(parentOf(path));
      if (!parent) throw new FsError('ENOENT', parentOf(path));
      if (!parent.dir) throw new FsError('ENOTDIR', parentOf(path));
      const cur = this.row(path);
      if (cur?.dir) throw new FsError('EISDIR', path);
      const text = append && cur ? cur.content + content : content;
      this.sql.upsert.run(path, text, this.now());
    });
  }

  mkdir(path: string, parents = false): void {
    this.store.transaction(() => {
      const cur = this.row(path);
      if (cur) {
        if (parents && cur.dir) return;
        throw new FsError('EEXIST', path);
      }
      const parent = this.row(parentOf(path));
      if (!parent) {
        if (!parents) throw new FsError('ENOENT', parentOf(path));
        this.mkdir(parentOf(path), true);
      } else if (!parent.dir) throw new FsError('ENOTDIR', parentOf(path));
      this.sql.insert.run(path, 1, '', this.now());
    });
  }

  list(path: string): FileEntry[] {
    const r = this.row(path);
    if (!r) throw new FsError('ENOENT', path);
    if (!r.dir) return [this.stat(path)!];
    const prefix = path === '/' ? '/' : `${path}/`;
    return (this.sql.subtree.all(prefix, prefix) as Row[])
      .filter((x) => !x.path.slice(prefix.length).includes('/'))
      .map(toEntry);
  }

  remove(path: string, recursive = false): void {
    if (path === '/') throw new FsError('EINVAL', path);
    this.store.transaction(() => {
      const r = this.row(path);
      if (!r) throw new FsError('ENOENT', path);
      if (r.dir) {
        if (!recursive) throw new FsError('EISDIR', path);
        this.sql.removeSubtree.run(`${path}/`, `${path}/`);
      }
      this.sql.remove.run(path);
    });
  }

  /**
   * Moves a file (or a directory with everything in it), in one transaction. With `replace`, an existing
   * file at `to` (or an empty directory, when moving a directory) is replaced, as rename(2) does.
   */
  rename(from: string, to: string, replace = false): void {
    this.store.transaction(() => {
      const r = this.row(from);
      if (!r) throw new FsError('ENOENT', from);
      if (from === to) throw new FsError('EINVAL', to);
      if (r.dir && to.startsWith(`${from}/`)) throw new FsError('EINVAL', to);
      const existing = this.row(to);
      if (existing) {
        if (!replace) throw new FsError('EEXIST', to);
        if (existing.dir && !r.dir) throw new FsError('EISDIR', to);
        if (!existing.dir && r.dir) throw new FsError('ENOTDIR', to);
        if (existing.dir && this.list(to).length) throw new FsError('ENOTEMPTY', to);
        this.sql.remove.run(to);
      }
      const parent = this.row(parentOf(to));
      if (!parent?.dir) throw new FsError('ENOENT', parentOf(to));
      const rows = [r, ...(r.dir ? (this.sql.subtree.all(`${from}/`, `${from}/`) as Row[]) : [])];
      for (const x of rows) {
        this.sql.remove.run(x.path);
        this.sql.insert.run(to + x.path.slice(from.length), x.dir, x.content, this.now());
      }
    });
  }
}
