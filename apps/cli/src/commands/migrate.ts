// zhike migrate: apply pending migrations and exit.
// zhike migrate --from sqlite:PATH [--to postgres://…] [--force]: move a shop from SQLite to PostgreSQL.
// The source is read from a snapshot (so the server may keep running until the switch), migrated like the
// target, and copied table by table in one transaction; the row counts are checked before it commits.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createIdGenerator, systemClock } from '@zhike/core';
import {
  copySqliteToPostgres,
  databaseFacts,
  knownMigrations,
  openDatabase,
  parseDatabaseUrl,
  snapshotSqlite,
} from '@zhike/db';
import { configOrExit, type Io } from '../main.ts';
import { commandFailed } from './failure.ts';

export const migrateUsage =
  'Usage: zhike migrate                                    Apply database migrations\n' +
  '       zhike migrate --from sqlite:PATH [--to postgres://…] [--force] [--batch-rows N]\n' +
  '                                                        Copy a SQLite shop into PostgreSQL (--to defaults to DATABASE_URL)\n';

async function migrateInPlace(io: Io): Promise<number> {
  const config = configOrExit(io);
  if (!config) return 1;
  const db = openDatabase({ url: config.databaseUrl, newId: createIdGenerator(systemClock) });
  try {
    const applied = await db.migrate();
    io.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
    return 0;
  } finally {
    await db.close();
  }
}

export async function migrate(args: string[], io: Io): Promise<number> {
  let values: { from?: string; to?: string; force?: boolean; 'batch-rows'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        force: { type: 'boolean' },
        'batch-rows': { type: 'string' },
      },
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${migrateUsage}`);
    return 2;
  }
  if (values.from === undefined) {
    if (values.to !== undefined || values.force || values['batch-rows'] !== undefined) {
      io.stderr.write(`--to, --force and --batch-rows go with --from\n${migrateUsage}`);
      return 2;
    }
    return migrateInPlace(io);
  }
  const batchRows = Number(values['batch-rows'] ?? '500');
  if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > 10_000) {
    io.stderr.write(`--batch-rows must be a whole number from 1 to 10000\n${migrateUsage}`);
    return 2;
  }
  let source: ReturnType<typeof parseDatabaseUrl>;
  try {
    source = parseDatabaseUrl(values.from);
  } catch (error) {
    io.stderr.write(`--from: ${(error as Error).message}\n`);
    return 2;
  }
  if (source.dialect !== 'sqlite' || source.location === ':memory:') {
    io.stderr.write(`--from must name a SQLite file (sqlite:PATH)\n${migrateUsage}`);
    return 2;
  }
  if (!existsSync(source.location)) {
    io.stderr.write(`zhike migrate: no SQLite database at ${source.location}\n`);
    return 1;
  }
  const config = configOrExit(io);
  if (!config) return 1;
  const to = values.to ?? config.databaseUrl;
  if (parseDatabaseUrl(to).dialect !== 'postgres') {
    io.stderr.write(
      `--to must be a postgres:// URL${values.to === undefined ? ' (DATABASE_URL is a SQLite file; pass --to)' : ''}\n`,
    );
    return 2;
  }

  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'zhike-move-'));
  try {
    const snapshot = join(work, 'source.db');
    snapshotSqlite(source.location, snapshot);
    const facts = await databaseFacts(snapshot);
    if (!facts.initialised)
      throw new Error(`${source.location} is not a Zhike database (no migrations table)`);
    const known = await knownMigrations();
    const unknown = facts.migrations.filter((m) => !known.includes(m));
    if (unknown.length > 0)
      throw new Error(
        `${source.location} comes from a newer Zhike (migrations ${unknown.join(', ')}): upgrade Zhike first`,
      );

    // Both sides at this build's schema; the snapshot, not the shop's file, is what gets migrated.
    const newId = createIdGenerator(systemClock);
    for (const url of [snapshot, to]) {
      const db = openDatabase({ url, newId, masterKeys: config.masterKeys });
      try {
        await db.migrate();
      } finally {
        await db.close();
      }
    }

    const result = await copySqliteToPostgres({
      from: snapshot,
      to,
      force: values.force === true,
      batchRows,
    });
    const seconds = (Date.now() - started) / 1000;
    const nonEmpty = result.tables.filter((t) => t.rows > 0);
    io.stdout.write(
      `Copied ${result.rows} rows in ${result.tables.length} tables from ${source.location} to ${new URL(to).host}${new URL(to).pathname} ` +
        `in ${seconds.toFixed(1)} s; every table's row count matches.\n` +
        nonEmpty.map((t) => `  ${t.name}: ${t.rows}\n`).join(''),
    );
    const lacking = facts.masterKeyIds.filter((id) => !config.masterKeys.some((k) => k.id === id));
    io.stderr.write(
      `Note: sealed values were copied as they are, under master key ${facts.masterKeyIds.join(', ') || '-'}: ` +
        'the servers on PostgreSQL must use that same master key (ZHIKE_MASTER_KEY or the master.key file), ' +
        'and the data directory’s attachments/ and recordings/ folders must move with them.\n' +
        (lacking.length > 0
          ? `Warning: the configured master key (${config.masterKeys[0]?.id ?? 'none'}) is not one of them.\n`
          : ''),
    );
    return 0;
  } catch (error) {
    return commandFailed(io, 'migrate', error);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
