// zhike backup [--out FILE] [--include-master-key]: one archive holding a consistent copy of the database
// (SQLite snapshot or pg_dump), the encrypted attachments and recordings (read from the configured file
// store: the data directory or the S3 bucket), the signing secret and a manifest
// with checksums. Safe while the server runs. The master key stays out unless asked for: a backup that
// carries its own key would undo the encryption at rest for whoever gets hold of the file.
import { existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseFacts, dumpPostgres, parseDatabaseUrl, snapshotSqlite } from '@zhike/db';
import type { BlobInfo, BlobStore } from '@zhike/providers';
import { createFileStore, encryptedFileFolders, SECRET_FILE } from '@zhike/server';
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

/** Every object under the store's encrypted-file folders; names Zhike never writes are left out. */
async function storedFiles(store: BlobStore, skipped: string[]): Promise<BlobInfo[]> {
  const found: BlobInfo[] = [];
  for (const folder of encryptedFileFolders)
    for await (const blob of store.list(`${folder}/`)) {
      if (isSafeEntryPath(blob.key)) found.push(blob);
      else skipped.push(blob.key);
    }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
  const store = createFileStore(config);
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

    // The files come through the configured store (the data directory or the bucket), so an archive is
    // complete whichever holds them, and restores into either.
    const skipped: string[] = [];
    const files = await storedFiles(store, skipped);
    const encrypted = files.length;
    const withSecret = existsSync(join(config.dataDir, SECRET_FILE));

    startedWriting = true;
    const writer = createArchiveWriter(partial);
    const digests: EntryDigest[] = [];
    digests.push(await writer.addFile(target.dialect === 'sqlite' ? SQLITE_ENTRY : POSTGRES_ENTRY, snapshot));
    for (const file of files)
      digests.push(
        await writer.addStream(FILES_PREFIX + file.key, file.size, file.modified, store.get(file.key)),
      );
    if (withSecret)
      digests.push(await writer.addFile(FILES_PREFIX + SECRET_FILE, join(config.dataDir, SECRET_FILE)));
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
    await store.close();
  }
}
