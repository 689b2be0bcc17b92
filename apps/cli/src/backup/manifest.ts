// The backup's manifest (manifest.json, the archive's last entry): what the archive holds and where it came
// from, with every other entry's size and SHA-256.
import { readFileSync } from 'node:fs';
import { ArchiveError, type EntryDigest, isSafeEntryPath } from './archive.ts';

export const MANIFEST_PATH = 'manifest.json';
export const SQLITE_ENTRY = 'database/zhike.db';
export const POSTGRES_ENTRY = 'database/zhike.pgdump';
/** Data-directory files go under this prefix, at their path relative to the data directory. */
export const FILES_PREFIX = 'files/';
/** Only with --include-master-key: the master keys, one base64 key a line (first = current). */
export const MASTER_KEY_ENTRY = 'keys/master.key';

export interface BackupManifest {
  format: 'zhike-backup';
  formatVersion: 1;
  zhikeVersion: string;
  createdAt: string;
  backend: 'sqlite' | 'postgres';
  /** Migrations the database had run, sorted: a restore refuses names this build does not know. */
  migrations: string[];
  postgres?: { schema: string; serverMajor: number; pgDumpMajor: number };
  /** Ids of the master keys the data keys are wrapped under: a restore checks it has them. */
  masterKeyIds: string[];
  includesMasterKey: boolean;
  files: EntryDigest[];
}

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Reads and checks the manifest, then checks every entry against it (nothing missing, changed or extra). */
export function verifyManifest(file: string, extracted: EntryDigest[]): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch {
    throw new ArchiveError('the manifest is not readable JSON');
  }
  if (manifest?.format !== 'zhike-backup') throw new ArchiveError('this is not a Zhike backup (no manifest)');
  if (manifest.formatVersion !== 1)
    throw new ArchiveError(
      `backup format version ${String(manifest.formatVersion)} is newer than this Zhike reads: upgrade Zhike`,
    );
  if (
    (manifest.backend !== 'sqlite' && manifest.backend !== 'postgres') ||
    !isStringArray(manifest.migrations) ||
    !isStringArray(manifest.masterKeyIds) ||
    !Array.isArray(manifest.files) ||
    !manifest.files.every(
      (f) =>
        typeof f?.path === 'string' &&
        isSafeEntryPath(f.path) &&
        typeof f.size === 'number' &&
        typeof f.sha256 === 'string',
    ) ||
    (manifest.backend === 'postgres' && typeof manifest.postgres?.schema !== 'string')
  )
    throw new ArchiveError('the manifest is damaged (missing or malformed fields)');
  const found = new Map(extracted.filter((e) => e.path !== MANIFEST_PATH).map((e) => [e.path, e]));
  for (const expected of manifest.files) {
    const entry = found.get(expected.path);
    if (!entry) throw new ArchiveError(`${expected.path} is listed in the manifest but missing`);
    if (entry.size !== expected.size || entry.sha256 !== expected.sha256)
      throw new ArchiveError(`${expected.path} does not match its checksum: the archive is damaged`);
    found.delete(expected.path);
  }
  const extra = [...found.keys()];
  if (extra.length > 0)
    throw new ArchiveError(`entries not in the manifest: ${extra.slice(0, 3).join(', ')}`);
  const database = manifest.backend === 'sqlite' ? SQLITE_ENTRY : POSTGRES_ENTRY;
  if (!manifest.files.some((f) => f.path === database))
    throw new ArchiveError(`the archive holds no ${manifest.backend} database`);
  return manifest;
}
