// zhike migrate: apply pending migrations and exit.
import { createIdGenerator, systemClock } from '@zhike/core';
import { openDatabase } from '@zhike/db';
import { configOrExit, type Io } from '../main.ts';

export async function migrate(io: Io): Promise<number> {
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
