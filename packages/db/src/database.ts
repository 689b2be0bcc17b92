// The database as the rest of the system sees it: scoped stores per workspace, the cross-tenant
// directory for authentication, the job queue for workers, migrations and health.
import type { WorkspaceStore } from '@zhike/core';
import { type AuditLog, createAuditLog, createKeyring, type Keyring, type MasterKey } from '@zhike/security';
import { type Kysely, Migrator, sql } from 'kysely';
import { createAuditStore } from './auditStore.ts';
import { connect, type Dialect, parseDatabaseUrl } from './connect.ts';
import { createDirectory, type Directory } from './directory.ts';
import { createIntakeQueue, type IntakeQueue } from './intakeQueue.ts';
import { createJobQueue, type JobQueue } from './jobQueue.ts';
import { createKeyStore } from './keyStore.ts';
import { sealAuthData } from './migrations/0011_auth.ts';
import { migrationProvider } from './migrations/index.ts';
import { createMonitoring, type Monitoring } from './monitoring.ts';
import {
  type CodecProvider,
  type CustomerKeys,
  plaintextCodecs,
  plaintextCustomerKeys,
} from './personalData.ts';
import type { DB } from './schema.ts';
import { createWorkspaceStore } from './store.ts';

/** The advisory lock (hashed text) a PostgreSQL schema's migrator holds while it migrates. */
export const migrationLockKey = (schema: string): string => `zhike-migrate:${schema}`;

export interface DatabaseOptions {
  url: string;
  newId: () => string;
  /**
   * Master keys (first = current). With them, customer personal data is sealed per workspace through the
   * keyring; without them it is stored in plaintext (only for tests of unrelated code).
   */
  masterKeys?: MasterKey[];
  poolSize?: number;
  jobMaxAttempts?: number;
}

export interface Database {
  readonly dialect: Dialect;
  forWorkspace(workspaceId: string): WorkspaceStore;
  readonly directory: Directory;
  readonly jobs: JobQueue;
  /** API messages acknowledged before they are stored, and the lease of the process draining them. */
  readonly intake: IntakeQueue;
  /** null when no master key was given. */
  readonly keyring: Keyring | null;
  readonly audit: AuditLog;
  /** Cross-workspace view for the retention job: which workspaces limit how long data is kept. */
  readonly privacy: { workspacesWithRetention(): Promise<string[]> };
  /** Cross-workspace totals for /metrics (counts only). */
  readonly monitoring: Monitoring;
  migrate(): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Customers written before per-customer keys get theirs, outside any transaction (their older values stay
 * under the workspace key and keep opening). Afterwards only new customers get keys, in their own
 * transaction.
 */
async function giveCustomersKeys(kysely: Kysely<DB>, keyring: Keyring): Promise<void> {
  const missing = await kysely
    .selectFrom('customers as c')
    .leftJoin('workspaceKeys as k', (join) =>
      join.onRef('k.workspaceId', '=', 'c.workspaceId').onRef('k.subjectId', '=', 'c.id'),
    )
    .select(['c.workspaceId', 'c.id'])
    .where('k.keyId', 'is', null)
    .execute();
  for (const { workspaceId, id } of missing) await keyring.ensureSubject(workspaceId, id);
}

export function openDatabase(options: DatabaseOptions): Database {
  const { kysely, dialect } = connect(parseDatabaseUrl(options.url), { poolSize: options.poolSize });
  const keyStore = createKeyStore(kysely);
  const keyring =
    options.masterKeys && options.masterKeys.length > 0
      ? createKeyring({ masterKeys: options.masterKeys, store: keyStore })
      : null;
  const codecs: CodecProvider = keyring
    ? async (workspaceId) => {
        if (!keyring.isLoaded(workspaceId)) await keyring.load(workspaceId);
        return keyring.codecFor(workspaceId, { openAnySubject: true });
      }
    : plaintextCodecs;
  const customerKeys: CustomerKeys = keyring
    ? {
        // A new customer's key row is written in the transaction creating the customer, so the two commit
        // together (and on SQLite a key query outside it would wait for the connection it holds). A key
        // of a rolled-back customer stays cached under an id nobody uses again; every committed customer
        // has a committed key (`migrate` gives older customers theirs), so no other key is made in a
        // transaction that could roll back.
        async codec(workspaceId, customerId, executor) {
          await keyStore.within(executor, () => keyring.ensureSubject(workspaceId, customerId));
          return keyring.codecFor(workspaceId, { subjectId: customerId, openAnySubject: true });
        },
        destroy: (workspaceId, customerId) => keyring.destroySubjectKeys(workspaceId, customerId),
      }
    : plaintextCustomerKeys;
  const ctx = {
    kysely,
    dialect,
    codecs,
    customerKeys,
    newId: options.newId,
    jobMaxAttempts: options.jobMaxAttempts ?? 12,
  };
  let closed = false;
  return {
    dialect,
    forWorkspace: (workspaceId) => createWorkspaceStore(ctx, workspaceId),
    directory: createDirectory(kysely, codecs),
    jobs: createJobQueue(kysely, dialect, options.newId),
    intake: createIntakeQueue(kysely),
    keyring,
    audit: createAuditLog({ store: createAuditStore(kysely), newId: options.newId }),
    privacy: {
      async workspacesWithRetention() {
        const rows = await kysely
          .selectFrom('retentionPolicies')
          .select('workspaceId')
          .where((eb) =>
            eb.or([
              eb('transcriptsDays', 'is not', null),
              eb('recordingsDays', 'is not', null),
              eb('attachmentsDays', 'is not', null),
            ]),
          )
          .orderBy('workspaceId')
          .execute();
        return rows.map((r) => r.workspaceId);
      },
    },
    monitoring: createMonitoring(kysely),
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
      const run = async () => {
        const migrator = new Migrator({
          db: kysely,
          provider: migrationProvider,
          migrationTableSchema: schema,
          // Numbers are handed out to parallel branches that land in any order (0019 may ship before
          // 0018): a database that already ran a later one still gets the earlier one when it lands.
          allowUnorderedMigrations: true,
        });
        const { error, results } = await migrator.migrateToLatest();
        if (error) throw error instanceof Error ? error : new Error(String(error));
        await sealAuthData(kysely, codecs);
        if (keyring) await giveCustomersKeys(kysely, keyring);
        return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      };
      if (dialect !== 'postgres') return run(); // SQLite: one writer at a time already, the file is the lock
      // Several processes starting together (a rolling deploy, a compose stack) must not migrate at
      // once. Kysely locks only its own migration steps; the data steps after them (sealing, customer
      // keys) need the same guard, so one session-level advisory lock, per schema, spans all of it. It is
      // held on a connection of its own and dies with it, so a crashed migrator never leaves it behind.
      return kysely.connection().execute(async (locked) => {
        const key = migrationLockKey(schema ?? '');
        await sql`select pg_advisory_lock(hashtext(${key}))`.execute(locked);
        try {
          return await run();
        } finally {
          await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(locked);
        }
      });
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
