// The SQLite side of backup and restore. A snapshot is taken with `VACUUM INTO`, not the online backup
// API (better-sqlite3's `backup()`): VACUUM INTO reads the whole database inside one read transaction, so
// the copy is one consistent point in time that includes what is still in the WAL, while the server keeps
// writing (WAL readers never block writers). The backup API copies pages in steps and starts over whenever
// another connection — the running server — writes in between, so on a busy shop it may never finish. The
// price of VACUUM INTO is CPU to rebuild the file; what it writes is compact and has no -wal/-shm sidecars.
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';

/** Writes a consistent copy of the live database at `source` to `dest` (which must not exist). */
export function snapshotSqlite(source: string, dest: string): void {
  if (!existsSync(source)) throw new Error(`no SQLite database at ${source}`);
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('vacuum into ?').run(dest);
  } finally {
    db.close();
  }
  const check = new SQLite(dest, { readonly: true, fileMustExist: true });
  try {
    const result = check.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(`the snapshot of ${source} failed its integrity check: ${result}`);
  } finally {
    check.close();
  }
}

/**
 * Puts a snapshot in place of the database at `target`. The server must be stopped: a process holding the
 * old file open would keep writing to it. The old -wal/-shm files go first, since SQLite would otherwise
 * replay a stale WAL onto the restored file.
 */
export function restoreSqlite(snapshot: string, target: string): void {
  const check = new SQLite(snapshot, { readonly: true, fileMustExist: true });
  try {
    const result = check.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(`the database in the backup failed its integrity check: ${result}`);
  } finally {
    check.close();
  }
  const incoming = `${target}.restoring`;
  copyFileSync(snapshot, incoming);
  for (const sidecar of [`${target}-wal`, `${target}-shm`, `${target}-journal`])
    rmSync(sidecar, { force: true });
  renameSync(incoming, target);
}
