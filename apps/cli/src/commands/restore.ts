// zhike restore FILE [--force]: checks the archive (every checksum, the schema it comes from, the master
// keys its data needs, that the file store answers) before touching anything, then puts the database back,
// the encrypted files through the configured file store (data directory or S3 bucket), and runs the
// migrations this build has that the backup had not. The server must be stopped while it runs.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createIdGenerator, systemClock } from '@zhike/core';
import {
  databaseFacts,
  knownMigrations,
  openDatabase,
  parseDatabaseUrl,
  restorePostgres,
  restoreSqlite,
} from '@zhike/db';
import { type MasterKey, masterKey, parseMasterKey, writeMasterKeyFile } from '@zhike/security';
import { checkFileStore, createFileStore, encryptedFileFolders, SECRET_FILE } from '@zhike/server';
import { ArchiveError, extractArchive, isSafeEntryPath } from '../backup/archive.ts';
import {
  FILES_PREFIX,
  MANIFEST_PATH,
  MASTER_KEY_ENTRY,
  POSTGRES_ENTRY,
  SQLITE_ENTRY,
  verifyManifest,
} from '../backup/manifest.ts';
import { configOrExit, type Io } from '../main.ts';
import { commandFailed, fileCount } from './failure.ts';

export const restoreUsage = 'Usage: zhike restore FILE [--force]\n';

class Refused extends Error {}

function archivedKeys(staging: string): MasterKey[] {
  const file = join(staging, MASTER_KEY_ENTRY);
  if (!existsSync(file)) return [];
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .map((l) => masterKey(parseMasterKey(l)));
  } catch {
    throw new ArchiveError('the master key in the archive is not readable');
  }
}

export async function restore(args: string[], io: Io): Promise<number> {
  let values: { force?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { force: { type: 'boolean' } },
      allowPositionals: true,
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${restoreUsage}`);
    return 2;
  }
  if (positionals.length !== 1) {
    io.stderr.write(restoreUsage);
    return 2;
  }
  const file = resolve(positionals[0]!);
  if (!existsSync(file) || !statSync(file).isFile()) {
    io.stderr.write(`zhike restore: no backup file at ${file}\n`);
    return 1;
  }
  const config = configOrExit(io);
  if (!config) return 1;
  const started = Date.now();
  mkdirSync(config.dataDir, { recursive: true });
  // Unpacked beside the data files, so moving them into place is a rename on the same file system.
  const staging = mkdtempSync(join(config.dataDir, '.restore-'));
  const store = createFileStore(config);
  try {
    const manifest = verifyManifest(join(staging, MANIFEST_PATH), await extractArchive(file, staging));

    const known = await knownMigrations();
    const unknown = manifest.migrations.filter((m) => !known.includes(m));
    if (unknown.length > 0)
      throw new Refused(
        `this backup comes from a newer Zhike (${manifest.zhikeVersion}; migrations ${unknown.join(', ')} are unknown here): upgrade Zhike, then restore`,
      );
    const target = parseDatabaseUrl(config.databaseUrl);
    if (target.dialect !== manifest.backend)
      throw new Refused(
        manifest.backend === 'sqlite'
          ? 'this is a backup of a SQLite database but DATABASE_URL is PostgreSQL: restore it to a SQLite file, then move it with `zhike migrate --from sqlite:PATH`'
          : 'this is a backup of a PostgreSQL database but DATABASE_URL is a SQLite file: set DATABASE_URL to a postgres:// URL',
      );

    // The data keys are wrapped under master keys; without those the restored data cannot be opened.
    const fromArchive = archivedKeys(staging);
    const configured = config.masterKeys.map((k) => k.id);
    const writableKeyFile = config.masterKeySource.kind === 'file' ? config.masterKeySource.path : null;
    const lacking = manifest.masterKeyIds.filter((id) => !configured.includes(id));
    const useArchivedKeys =
      lacking.length > 0 &&
      writableKeyFile !== null &&
      lacking.every((id) => fromArchive.some((k) => k.id === id));
    if (lacking.length > 0 && !useArchivedKeys)
      throw new Refused(
        `the data in this backup is sealed under master key ${lacking.join(', ')}, which this installation does not have (it has ${configured.join(', ') || 'none'}). ` +
          `Put the master key you kept apart from the backup in ${writableKeyFile ?? 'ZHIKE_MASTER_KEY'} and run this again.`,
      );

    // The files go back through the store: one that cannot be reached fails now, before the database.
    await checkFileStore(store);
    const facts = await databaseFacts(config.databaseUrl);
    if (facts.tablesWithRows.length > 0 && !values.force)
      throw new Refused(
        `the database ${target.dialect === 'sqlite' ? `at ${target.location} ` : ''}is not empty (rows in ${facts.tablesWithRows.slice(0, 5).join(', ')}${facts.tablesWithRows.length > 5 ? ', …' : ''}). ` +
          'Restoring replaces everything in it: stop the server, then run again with --force.',
      );

    if (target.dialect === 'sqlite') {
      mkdirSync(dirname(target.location), { recursive: true });
      restoreSqlite(join(staging, SQLITE_ENTRY), target.location);
    } else {
      await restorePostgres(
        config.databaseUrl,
        join(staging, POSTGRES_ENTRY),
        manifest.postgres!.schema,
        io.env,
      );
    }

    // Each folder is replaced whole, through the configured store (the data directory or the bucket):
    // the archive's files go in, and what the store held besides goes, since the replaced database's rows
    // were all that pointed to it.
    let restoredFiles = 0;
    for (const folder of encryptedFileFolders) {
      const incoming = manifest.files
        .map((f) => f.path)
        .filter((path) => path.startsWith(`${FILES_PREFIX}${folder}/`))
        .map((path) => path.slice(FILES_PREFIX.length));
      const keep = new Set(incoming);
      const stale: string[] = [];
      // Names Zhike never writes are not its files to delete.
      for await (const blob of store.list(`${folder}/`))
        if (!keep.has(blob.key) && isSafeEntryPath(blob.key)) stale.push(blob.key);
      for (const key of incoming) await store.moveIn(key, join(staging, FILES_PREFIX, key));
      for (const key of stale) await store.delete(key);
      restoredFiles += incoming.length;
    }
    const secret = join(staging, FILES_PREFIX, SECRET_FILE);
    if (existsSync(secret)) copyFileSync(secret, join(config.dataDir, SECRET_FILE));

    let keys = config.masterKeys;
    if (useArchivedKeys && writableKeyFile) {
      if (existsSync(writableKeyFile))
        copyFileSync(writableKeyFile, `${writableKeyFile}.before-restore-${Date.now()}`);
      writeMasterKeyFile(
        writableKeyFile,
        fromArchive.map((k) => k.key),
      );
      keys = fromArchive;
      io.stderr.write(
        `Note: ${writableKeyFile} now holds the master key from the backup (the previous file was kept beside it).\n`,
      );
    }

    const db = openDatabase({
      url: config.databaseUrl,
      newId: createIdGenerator(systemClock),
      masterKeys: keys,
    });
    let applied: string[];
    try {
      applied = await db.migrate();
      // The server's own start-up check, now rather than when the server first starts.
      await db.keyring?.assertMasterKeyMatches();
    } finally {
      await db.close();
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout.write(
      `Restored the ${manifest.backend} database and ${fileCount(restoredFiles)} from ${file} (made ${manifest.createdAt} by Zhike ${manifest.zhikeVersion}) in ${seconds} s.\n` +
        (applied.length > 0 ? `Migrations run since the backup: ${applied.join(', ')}\n` : ''),
    );
    return 0;
  } catch (error) {
    return commandFailed(io, 'restore', error);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await store.close();
  }
}
