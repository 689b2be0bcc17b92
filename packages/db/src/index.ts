// @zhike/db: Kysely schema, migrations and repositories over SQLite and PostgreSQL.

export { createAuditStore } from './auditStore.ts';
export {
  CopyRefused,
  type CopyResult,
  copySqliteToPostgres,
  type DatabaseFacts,
  databaseFacts,
  dumpPostgres,
  knownMigrations,
  PostgresToolError,
  restorePostgres,
  restoreSqlite,
  snapshotSqlite,
} from './backup/index.ts';
export { type Dialect, parseDatabaseUrl } from './connect.ts';
export { type Database, type DatabaseOptions, openDatabase } from './database.ts';
export type { Directory, SeedInbox, SessionListing, SessionRecord, WorkspaceSeed } from './directory.ts';
export type { HeldMessage, IntakeQueue } from './intakeQueue.ts';
export type { ClaimedJob, JobQueue, JobRow } from './jobQueue.ts';
export { createKeyStore } from './keyStore.ts';
export type { Monitoring, WaitingForAgents } from './monitoring.ts';
export { type CodecProvider, type PersonalDataCodec, plaintextCodec } from './personalData.ts';
export {
  type Backend,
  createTestDatabase,
  deleteNewestAuditRows,
  type TestDatabase,
  testBackends,
} from './testing.ts';
