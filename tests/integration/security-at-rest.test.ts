// Issue 5 acceptance on both backends: after a run that stores a customer through the API, the SQLite
// files / a pg_dump hold none of their personal data in plaintext; `zhike keys rotate` keeps the data
// readable; `zhike audit verify` passes, then fails once one audit row is edited or deleted.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '@zhike/cli';
import { openDatabase } from '@zhike/db';
import { generateMasterKey } from '@zhike/security';
import { loadConfig } from '@zhike/server';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../apps/server/src/testing.ts';

const CUSTOMER = {
  externalId: 'shop-user-7',
  name: '司马机密',
  email: 'hidden.buyer@example.cn',
  phone: '13798765432',
};
const TEXT = '请寄到上海市徐汇区保密路99号';

async function cli(argv: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(argv, {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    env: { LOG_LEVEL: 'silent', ...env },
  });
  return { code, stdout, stderr };
}

function pgSchema(url: string): { base: string; schema: string } {
  const u = new URL(url);
  const schema = /search_path=(\S+)/.exec(u.searchParams.get('options') ?? '')?.[1] ?? '';
  u.searchParams.delete('options');
  return { base: u.toString(), schema };
}

describe.each(['sqlite', 'postgres'] as const)('personal data at rest and the audit log on %s', (backend) => {
  it('stores nothing readable, rotates keys, and detects audit tampering', async () => {
    // ZHIKE_MASTER_KEY unset: the default key file in the data directory, as on a fresh install.
    const t = await createTestApp(backend, { startWorker: false, env: { ZHIKE_MASTER_KEY: '' } });
    const env = { DATABASE_URL: t.database.url, ZHIKE_DATA_DIR: t.config.dataDir };
    try {
      const { app } = t;
      const key = await t.apiKey();
      const inbound = await app.inject({
        method: 'POST',
        url: '/api/v1/inbound',
        headers: { authorization: `Bearer ${key}` },
        payload: { customer: CUSTOMER, text: TEXT, messageId: 'm-1' },
      });
      expect(inbound.statusCode).toBe(200);
      const session = await t.login();
      const inboxes = await app.inject({ method: 'GET', url: '/api/v1/inboxes', headers: session.headers });
      const inboxId = (inboxes.json() as { inboxes: { id: string }[] }).inboxes[0]!.id;
      const patched = await app.inject({
        method: 'PATCH',
        url: `/api/v1/inboxes/${inboxId}`,
        headers: session.headers,
        payload: { greeting: '您好' },
      });
      expect(patched.statusCode).toBe(200);
      const failed = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'nobody@example.cn', password: 'wrong password' },
      });
      expect(failed.statusCode).toBe(401);
      const ws = await t.demoWorkspaceId();
      const stored = await app.zhike.db
        .forWorkspace(ws)
        .customers.findByIdentity('external', CUSTOMER.externalId);
      expect(stored).toMatchObject({ name: CUSTOMER.name, email: CUSTOMER.email, phone: CUSTOMER.phone });
      await app.close();

      // 1. No plaintext at rest.
      const bytes =
        backend === 'sqlite'
          ? Buffer.concat(
              readdirSync(dirname(t.database.url))
                .filter((f) => f.startsWith('zhike.db'))
                .map((f) => readFileSync(join(dirname(t.database.url), f))),
            )
          : execFileSync(
              'pg_dump',
              ['--schema', pgSchema(t.database.url).schema, pgSchema(t.database.url).base],
              {
                maxBuffer: 256 * 1024 * 1024,
              },
            );
      expect(bytes.includes('customer_identities')).toBe(true);
      for (const secret of [
        CUSTOMER.name,
        CUSTOMER.email,
        CUSTOMER.phone,
        CUSTOMER.externalId,
        TEXT,
        '保密路',
      ])
        expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
      expect(readdirSync(t.config.dataDir)).toContain('master.key');

      // 2. The audit chain holds the sign-ins, the key, the settings change; rotation keeps data readable.
      const verified = await cli(['audit', 'verify'], env);
      expect(verified).toMatchObject({ code: 0 });
      expect(Number(/(\d+) entries/.exec(verified.stdout)?.[1])).toBeGreaterThanOrEqual(4);
      const keyFile = join(t.config.dataDir, 'master.key');
      const before = readFileSync(keyFile, 'utf8');
      const rotated = await cli(['keys', 'rotate'], env);
      expect(rotated.stderr).toBe('');
      expect(rotated.code).toBe(0);
      // The workspace's data and index keys, the customer's own key, and the data and index keys of the
      // sign-in directory's key scope (agents' email blind index, migration 0011), which counts as one more.
      expect(rotated.stdout).toMatch(/Re-wrapped 5 data keys in 2 workspaces/);
      expect(readFileSync(keyFile, 'utf8')).not.toBe(before);
      const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
      expect(config.masterKeys).toHaveLength(1);
      const db = openDatabase({ url: config.databaseUrl, newId: () => 'x', masterKeys: config.masterKeys });
      try {
        const again = await db.forWorkspace(ws).customers.findByIdentity('external', CUSTOMER.externalId);
        expect(again?.phone).toBe(CUSTOMER.phone);
      } finally {
        await db.close();
      }
      expect(await cli(['audit', 'verify'], env)).toMatchObject({ code: 0 });

      // 3. Tampering, by someone with direct database access who first removes the append-only trigger.
      const [original] = await rawSql(backend, t.database.url, [
        'select actor_id from audit_log where seq = 2',
      ]);
      await rawSql(backend, t.database.url, [
        backend === 'sqlite'
          ? 'drop trigger audit_log_no_update'
          : 'alter table audit_log disable trigger user',
        "update audit_log set actor_id = 'someone-else' where seq = 2",
      ]);
      const edited = await cli(['audit', 'verify'], env);
      expect(edited.code).toBe(1);
      expect(edited.stderr).toMatch(/BROKEN at seq 2 .*hash_mismatch/);
      await rawSql(backend, t.database.url, [
        `update audit_log set actor_id = '${String(original?.actor_id)}' where seq = 2`,
      ]);
      expect(await cli(['audit', 'verify'], env)).toMatchObject({ code: 0 });
      await rawSql(backend, t.database.url, [
        backend === 'sqlite' ? 'drop trigger audit_log_no_delete' : 'select 1',
        'delete from audit_log where seq = 3',
      ]);
      const removed = await cli(['audit', 'verify'], env);
      expect(removed.code).toBe(1);
      expect(removed.stderr).toMatch(/BROKEN at seq 4 .*prev_mismatch/);

      // 4. A process started with another master key refuses to start rather than fail on first read.
      await expect(
        createTestApp(backend, { database: t.database, env: { ZHIKE_MASTER_KEY: generateMasterKey() } }),
      ).rejects.toThrow(/Master key mismatch/);
    } finally {
      await t.close();
    }
  });
});

/** Runs statements over a fresh connection; returns the rows of the last one. */
async function rawSql(
  backend: 'sqlite' | 'postgres',
  url: string,
  statements: string[],
): Promise<Record<string, unknown>[]> {
  let rows: Record<string, unknown>[] = [];
  if (backend === 'sqlite') {
    const db = new Database(url);
    try {
      for (const s of statements) {
        const stmt = db.prepare(s);
        if (stmt.reader) rows = stmt.all() as Record<string, unknown>[];
        else {
          stmt.run();
          rows = [];
        }
      }
    } finally {
      db.close();
    }
    return rows;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) rows = (await client.query(s)).rows;
  } finally {
    await client.end();
  }
  return rows;
}
