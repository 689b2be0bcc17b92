// In-code migrations, applied in name order. Forward-only: never edit a shipped migration, add a new one.
import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001_initial.ts';

const migrations: Record<string, Migration> = {
  '0001_initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
