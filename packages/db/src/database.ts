// The database as the rest of the system sees it: scoped stores per workspace, the cross-tenant
// directory for authentication, the job queue for workers, migrations and health.
import type { WorkspaceStore } from '@zhike/core';
import { Migrator, sql } from 'kysely';
import { connect, type Dialect, parseDatabaseUrl } from './connect.ts';
import { createDirectory, type Directory } from './directory.ts';
import { createJobQueue, type JobQueue } from './jobQueue.ts';
import { migrationProvider } from './migrations/index.ts';
import { type PersonalDataCodec, plaintextCodec } from './personalData.ts';
import { createWorkspaceStore } from './store.ts';

export interface DatabaseOptions {
  url: string;
  newId: () => string;
  codec?: PersonalDataCodec;
  poolSize?: number;
  jobMaxAttempts?: number;
}

export interface Database {
  readonly dialect: Dialect;
  forWorkspace(workspaceId: string): WorkspaceStore;
  readonly directory: Directory;
  readonly jobs: JobQueue;
  migrate(): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openDatabase(options: DatabaseOptions): Database {
  const { kysely, dialect } = connect(parseDatabaseUrl(options.url), { poolSize: options.poolSize });
  const ctx = {
    kysely,
    dialect,
    codec: options.codec ?? plaintextCodec,
    newId: options.newId,
    jobMaxAttempts: options.jobMaxAttempts ?? 12,
  };
  let closed = false;
  return {
    dialect,
    forWorkspace: (workspaceId) => createWorkspaceStore(ctx, workspaceId),
    directory: createDirectory(kysely),
    jobs: createJobQueue(kysely, dialect),
    async migrate() {
      try {
        await sql`select 1`.execute(kysely);
      } catch (error) {
        const where = dialect === 'postgres' ? new URL(options.url).host : options.url;
        throw new Error(
          `DATABASE_URL: cannot reach the ${dialect} database at ${where} (${(error as Error).message})`,
        );
      }
      // Pin Kysely's bookkeeping tables to our schema: otherwise it counts a same-named table in any
      // other schema (e.g. a parallel test's) as ours and skips creating it.
      const schema =
        dialect === 'postgres'
          ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(kysely)).rows[0]?.schema
          : undefined;
      const migrator = new Migrator({
        db: kysely,
        provider: migrationProvider,
        migrationTableSchema: schema,
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}
