// Backup, restore and the SQLite → PostgreSQL move: the database-specific pieces the CLI commands use.
export { CopyRefused, type CopyResult, copySqliteToPostgres, dependencyOrder } from './copyToPostgres.ts';
export { type DatabaseFacts, databaseFacts, knownMigrations } from './inspect.ts';
export { dumpPostgres, PostgresToolError, restorePostgres } from './postgresDump.ts';
export { restoreSqlite, snapshotSqlite } from './sqliteFile.ts';
