// zhike backup [--out FILE] [--include-master-key]: one archive holding a consistent copy of the database
// (SQLite snapshot or pg_dump), the encrypted attachments and recordings, the signing secret and a manifest
// with checksums. Safe while the server runs. The master key stays out unless asked for: a backup that
// carries its own key would undo the encryption at rest for whoever gets hold of the file.
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseFacts, dumpPostgres, parseDatabaseUrl, snapshotSqlite } from '@zhike/db';
import { encryptedFileFolders, SECRET_FILE } from '@zhike/server';
import { createArchiveWriter, type EntryDigest, isSafeEntryPath } from '../backup/archive.ts';
import {
  type BackupManifest,
  FILES_PREFIX,
  MANIFEST_PATH,
  MASTER_KEY_ENTRY,
  POSTGRES_ENTRY,
  SQLITE_ENTRY,
} from '../backup/manifest.ts';
import { configOrExit, type Io } from '../main.ts';
import { zhikeVersion } from '../version.ts';
import { commandFailed, fileCount, formatBytes } from './failure.ts';

export const backupUsage = 'Usage: zhike backup [--out FILE] [--include-master-key]\n';

/** Files under `dir`, as paths relative to `root`; unfinished writes (`*.part`) are left out. */
function filesUnder(root: string, dir: string, skipped: string[]): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(root, path, skipped));
    else if (entry.isFile() && !entry.name.endsWith('.part')) {
      const rel = relative(root, path).split(sep).join('/');
      if (isSafeEntryPath(rel)) found.push(rel);
      else skipped.push(rel);
    }
  }
  return found.sort();
}

const timestamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export async function backup(args: string[], io: Io): Promise<number> {
  let values: { out?: string; 'include-master-key'?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { out: { type: 'string' }, 'include-master-key': { type: 'boolean' } },
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${backupUsage}`);
    return 2;
  }
  const config = configOrExit(io);
  if (!config) return 1;
  const started = Date.now();
  const createdAt = new Date();
  const out = resolve(values.out ?? `zhike-backup-${timestamp(createdAt)}.tar.gz`);
  if (existsSync(out)) {
    io.stderr.write(`zhike backup: ${out} already exists; choose another --out\n`);
    return 1;
  }
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
    io.stderr.write(`zhike backup: the folder ${dirname(out)} does not exist\n`);
    return 1;
  }
  const partial = `${out}.partial`;
  if (existsSync(partial)) {
    io.stderr.write(
      `zhike backup: ${partial} is in the way (another backup writing there, or one that crashed)\n`,
    );
    return 1;
  }
  let startedWriting = false;
  const work = mkdtempSync(join(dirname(out), `.${basename(out)}-`));
  try {
    const target = parseDatabaseUrl(config.databaseUrl);
    const live = await databaseFacts(config.databaseUrl);
    if (!live.initialised) {
      io.stderr.write(
        `zhike backup: the database (${target.dialect === 'sqlite' ? target.location : 'DATABASE_URL'}) has no Zhike tables yet; nothing to back up\n`,
      );
      return 1;
    }
    const snapshot = join(work, target.dialect === 'sqlite' ? 'zhike.db' : 'zhike.pgdump');
    let facts = live;
    let postgres: BackupManifest['postgres'];
    if (target.dialect === 'sqlite') {
      snapshotSqlite(target.location, snapshot);
      facts = await databaseFacts(snapshot); // what the copy holds, not what the live file holds now
    } else {
      const dump = await dumpPostgres(config.databaseUrl, snapshot, io.env);
      postgres = { schema: dump.schema, serverMajor: dump.serverMajor, pgDumpMajor: dump.toolMajor };
    }

    const skipped: string[] = [];
    const files = encryptedFileFolders.flatMap((folder) =>
      filesUnder(config.dataDir, join(config.dataDir, folder), skipped),
    );
    const encrypted = files.length;
    const withSecret = existsSync(join(config.dataDir, SECRET_FILE));
    if (withSecret) files.push(SECRET_FILE);

    startedWriting = true;
    const writer = createArchiveWriter(partial);
    const digests: EntryDigest[] = [];
    digests.push(await writer.addFile(target.dialect === 'sqlite' ? SQLITE_ENTRY : POSTGRES_ENTRY, snapshot));
    for (const file of files)
      digests.push(await writer.addFile(FILES_PREFIX + file, join(config.dataDir, file)));
    const includeKey = values['include-master-key'] === true;
    if (includeKey)
      digests.push(
        await writer.addBuffer(
          MASTER_KEY_ENTRY,
          Buffer.from(config.masterKeys.map((k) => `${k.key.toString('base64')}\n`).join('')),
        ),
      );
    const manifest: BackupManifest = {
      format: 'zhike-backup',
      formatVersion: 1,
      zhikeVersion: zhikeVersion(),
      createdAt: createdAt.toISOString(),
      backend: target.dialect,
      migrations: facts.migrations,
      ...(postgres ? { postgres } : {}),
      masterKeyIds: facts.masterKeyIds,
      includesMasterKey: includeKey,
      files: digests,
    };
    await writer.addBuffer(MANIFEST_PATH, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    await writer.close();
    renameSync(partial, out);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout.write(
      `Backup written to ${out} (${formatBytes(statSync(out).size)}, ${seconds} s): ${target.dialect} database ` +
        `at migration ${facts.migrations.at(-1) ?? '-'}, ${fileCount(encrypted)}${withSecret ? ` and ${SECRET_FILE}` : ''}.\n`,
    );
    for (const name of skipped) io.stderr.write(`Warning: left out ${name} (a name Zhike never writes)\n`);
    const where =
      config.masterKeySource.kind === 'file' ? config.masterKeySource.path : 'the ZHIKE_MASTER_KEY variable';
    io.stderr.write(
      includeKey
        ? 'Warning: this backup holds the master key (--include-master-key): anyone with the file can read every customer’s data. Store it encrypted.\n'
        : `Note: the master key is NOT in this backup (it is in ${where}; key id ${config.masterKeys[0]?.id ?? '-'}). ` +
            'Keep a copy of it apart from the backups: without it the restored data cannot be read.\n',
    );
    return 0;
  } catch (error) {
    return commandFailed(io, 'backup', error);
  } finally {
    if (startedWriting) rmSync(partial, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
