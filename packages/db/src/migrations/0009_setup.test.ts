// Migration 0009 on a database that already has bots: workspaces configured before the wizard existed
// count as set up (their owners never see it), new ones do not; same on SQLite and PostgreSQL.
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from '../connect.ts';
import { createTestDatabase, testBackends } from '../testing.ts';
import { migrationProvider } from './index.ts';

describe.each(testBackends)('0009_setup on %s', (backend) => {
  it('marks workspaces that already had a bot as set up, with the bot on', async () => {
    const database = await createTestDatabase(backend, { empty: true });
    const { kysely, dialect } = connect(parseDatabaseUrl(database.url), { poolSize: 1 });
    try {
      // Kysely's bookkeeping tables pinned to this test's schema, as database.ts does (parallel tests).
      const schema =
        dialect === 'postgres'
          ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(kysely)).rows[0]?.schema
          : undefined;
      const migrator = new Migrator({
        db: kysely,
        provider: migrationProvider,
        migrationTableSchema: schema,
      });
      const before = await migrator.migrateTo('0004_audit_head');
      expect(before.error).toBeUndefined();
      const at = '2026-11-01T08:00:00.000Z';
      for (const [id, slug] of [
        ['0190a000-0000-7000-8000-000000000001', 'with-bot'],
        ['0190a000-0000-7000-8000-000000000002', 'without-bot'],
      ])
        await sql`insert into workspaces (id, slug, name, locale, created_at) values (${id}, ${slug}, ${slug}, 'zh-CN', ${at})`.execute(
          kysely,
        );
      await sql`insert into bot_settings (workspace_id, template_id, variables, business_hours, order_number_pattern, version, updated_at)
        values ('0190a000-0000-7000-8000-000000000001', 'retail', '{}', null, null, 3, ${at})`.execute(
        kysely,
      );

      const after = await migrator.migrateToLatest();
      expect(after.error).toBeUndefined();
      // Read back through the CamelCasePlugin, like every query here.
      const rows = await sql<{ workspaceId: string; botEnabled: number; completedAt: string | null }>`
        select workspace_id, bot_enabled, completed_at from workspace_setup order by workspace_id`.execute(
        kysely,
      );
      expect(rows.rows.map((r) => ({ ...r, botEnabled: Number(r.botEnabled) }))).toEqual([
        { workspaceId: '0190a000-0000-7000-8000-000000000001', botEnabled: 1, completedAt: at },
      ]);
    } finally {
      await kysely.destroy();
      await database.drop();
    }
  });
});
