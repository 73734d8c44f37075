// Schema of a lab database, versioned with PRAGMA user_version. Each migration runs once, in order,
// inside one transaction; a database newer than this build is refused rather than guessed at.

export const migrations: readonly string[] = [
  // 1: objects keyed by (cluster, group, kind, namespace, name); a change log whose rowid is the
  // global resourceVersion; owner index for garbage collection; API spaces; lab metadata.
  `
  CREATE TABLE objects (
    cluster   TEXT NOT NULL,
    grp       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    uid       TEXT NOT NULL,
    rv        INTEGER NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (cluster, grp, kind, namespace, name)
  );
  CREATE TABLE owner_refs (
    owner_uid TEXT NOT NULL,
    cluster   TEXT NOT NULL,
    grp       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (owner_uid, cluster, grp, kind, namespace, name)
  ) WITHOUT ROWID;
  CREATE TABLE changes (
    rv        INTEGER PRIMARY KEY,
    type      TEXT NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
    cluster   TEXT NOT NULL,
    grp       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    body      TEXT NOT NULL
  );
  CREATE TABLE api_spaces (
    name   TEXT PRIMARY KEY,
    flavor TEXT NOT NULL
  );
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: MVCC as etcd keeps it — a body is stored once, in the change-log row of the revision that wrote
  // it; an object row names its current revision. Compaction keeps the revisions live objects point to.
  `
  INSERT OR IGNORE INTO changes (rv, type, cluster, grp, kind, namespace, name, body)
    SELECT rv, 'MODIFIED', cluster, grp, kind, namespace, name, body FROM objects;
  CREATE TABLE objects_v2 (
    cluster   TEXT NOT NULL,
    grp       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    uid       TEXT NOT NULL,
    rv        INTEGER NOT NULL,
    PRIMARY KEY (cluster, grp, kind, namespace, name)
  ) WITHOUT ROWID;
  INSERT INTO objects_v2 SELECT cluster, grp, kind, namespace, name, uid, rv FROM objects;
  DROP TABLE objects;
  ALTER TABLE objects_v2 RENAME TO objects;
  `,
  // 3: the workspace — files the shell and the YAML editor share (directories are rows with dir = 1).
  `
  CREATE TABLE files (
    path    TEXT PRIMARY KEY,
    dir     INTEGER NOT NULL DEFAULT 0,
    content TEXT NOT NULL DEFAULT '',
    mtime   INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO files (path, dir, content, mtime) VALUES ('/', 1, '', 0);
  `,
  // 4: lab snapshots — a copy of every object (key, uid, body) and of the API spaces, kept in the lab
  // file itself so a lab stays one file; the change log and the workspace are not part of a snapshot.
  `
  CREATE TABLE snapshots (
    name     TEXT PRIMARY KEY,
    lab_time INTEGER NOT NULL,
    spaces   TEXT NOT NULL,
    objects  INTEGER NOT NULL
  );
  CREATE TABLE snapshot_objects (
    snapshot  TEXT NOT NULL REFERENCES snapshots (name) ON DELETE CASCADE,
    cluster   TEXT NOT NULL,
    grp       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    uid       TEXT NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (snapshot, cluster, grp, kind, namespace, name)
  ) WITHOUT ROWID;
  `,
  // 5: guided labs and exam mode (main/labs) — the learner's progress per lab and the exam attempts.
  // Neither is part of the environment: snapshots, restores and resets leave them as they are.
  `
  CREATE TABLE lab_progress (
    lab_id       TEXT PRIMARY KEY,
    started_at   INTEGER NOT NULL,
    current_step INTEGER NOT NULL,
    completed    TEXT NOT NULL,
    hints_shown  INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL,
    finished_at  INTEGER
  ) WITHOUT ROWID;
  CREATE TABLE exam_attempts (
    id           INTEGER PRIMARY KEY,
    seed         TEXT NOT NULL,
    tasks        TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    deadline     INTEGER NOT NULL,
    lab_time     INTEGER NOT NULL,
    finished_at  INTEGER,
    score        INTEGER,
    max_score    INTEGER,
    report       TEXT
  );
  `,
  // 6: where the learner's shell history stood (its length) when a lab or an exam started, so that
  // only the commands typed since count, even within the same second of lab time.
  `
  ALTER TABLE lab_progress ADD COLUMN history_from INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE exam_attempts ADD COLUMN history_from INTEGER NOT NULL DEFAULT 0;
  `,
];

export const schemaVersion = migrations.length;

/** The lab file was written by a newer build (the store's thread checks, see threadSource.ts). */
export class SchemaTooNewError extends Error {}
