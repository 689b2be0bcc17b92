// `zhike backup`, `zhike restore` and `zhike migrate --from sqlite:` on real databases: a shop with sealed
// customers and an encrypted attachment goes into an archive while its app is running, the originals are
// wiped, and after the restore (or the move to PostgreSQL) a new app reads the customer and the file back.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { WidgetAttachmentUploaded, WidgetSession } from '@zhike/contracts';
import { type Backend, createTestDatabase, type TestDatabase, testBackends } from '@zhike/db';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startFakeS3 } from '../../../packages/providers/src/storage/testSupport/s3Server.ts';
import { createTestApp, TEST_MASTER_KEY, type TestApp } from '../../server/src/testing.ts';
import { createArchiveWriter } from './backup/archive.ts';
import { main } from './main.ts';

const PHOTO = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('backup-round-trip-收据'.repeat(40)),
]);
const CUSTOMER = { name: '欧阳备份', phone: '13912345678' };

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

const run = async (argv: string[], env: Record<string, string>) => {
  const out = capture();
  const err = capture();
  const code = await main(argv, {
    stdout: out.stream,
    stderr: err.stream,
    env: { LOG_LEVEL: 'silent', ...env },
  });
  return { code, stdout: out.text(), stderr: err.text() };
};

const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `zhike-${name}-`));

interface Seeded {
  workspaceId: string;
  customerId: string;
  attachmentId: string;
}

/** A phone customer (name and phone sealed) and a widget visitor's photo (an encrypted file). */
async function seedShop(t: TestApp): Promise<Seeded> {
  const workspaceId = await t.demoWorkspaceId();
  const inboxes = await t.app.zhike.db.forWorkspace(workspaceId).inboxes.list();
  const widget = inboxes.find((i) => i.channel === 'widget')!;
  const received = await t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
    inboxId: widget.id,
    identity: { kind: 'phone', value: CUSTOMER.phone },
    profile: CUSTOMER,
    text: '我想备份一下我的订单',
    idempotencyKey: 'backup-1',
  });
  const customer = await t.app.zhike.db
    .forWorkspace(workspaceId)
    .customers.findByIdentity('phone', CUSTOMER.phone);
  expect(received.duplicate).toBe(false);
  const session = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: { inbox: widget.widgetToken },
    })
  ).json() as WidgetSession;
  const upload = await t.app.inject({
    method: 'POST',
    url: `/api/v1/widget/attachments?inbox=${widget.widgetToken}&visitorToken=${encodeURIComponent(session.visitorToken)}&name=receipt.png`,
    headers: { 'content-type': 'image/png' },
    payload: PHOTO,
  });
  expect(upload.statusCode, upload.body).toBe(201);
  return {
    workspaceId,
    customerId: customer!.id,
    attachmentId: (upload.json() as WidgetAttachmentUploaded).attachment.id,
  };
}

/** The app on `database` reads the sealed customer and streams the decrypted photo. */
async function expectShopReadable(
  backend: Backend,
  database: TestDatabase,
  dataDir: string,
  seeded: Seeded,
  env: Record<string, string> = {},
) {
  const t = await createTestApp(backend, {
    database,
    env: { ZHIKE_DATA_DIR: dataDir, ...env },
    startWorker: false,
  });
  try {
    const customer = await t.app.zhike.db.forWorkspace(seeded.workspaceId).customers.get(seeded.customerId);
    expect(customer).toMatchObject(CUSTOMER);
    const owner = await t.login();
    const file = await t.app.inject({
      url: `/api/v1/attachments/${seeded.attachmentId}`,
      headers: { cookie: owner.cookie },
    });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PHOTO)).toBe(true);
  } finally {
    await t.close();
  }
}

async function sealedNameInDatabase(backend: Backend, url: string, customerId: string): Promise<string> {
  if (backend === 'sqlite') {
    const db = new SQLite(url, { readonly: true });
    try {
      return db.prepare('select name from customers where id = ?').pluck().get(customerId) as string;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select name from customers where id = $1', [customerId])).rows[0].name;
  } finally {
    await client.end();
  }
}

/** An empty place to restore into: no SQLite file yet, or a PostgreSQL database with an empty schema. */
async function emptyDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'postgres') return createTestDatabase('postgres', { empty: true });
  const dir = tempDir('restore-db');
  return { url: join(dir, 'zhike.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

describe.each(testBackends)('zhike backup and restore on %s', (backend) => {
  it('round-trips a shop with sealed customers and an encrypted attachment, taken while the app runs', async () => {
    const source = await createTestDatabase(backend);
    const dataDir = tempDir('backup-data');
    const work = tempDir('backup-out');
    const restoredDir = tempDir('restore-data');
    let target: TestDatabase | undefined;
    try {
      const t = await createTestApp(backend, {
        database: source,
        env: { ZHIKE_DATA_DIR: dataDir },
        startWorker: false,
      });
      const seeded = await seedShop(t);
      expect(await sealedNameInDatabase(backend, source.url, seeded.customerId)).toMatch(/^zk1:/);
      const env = { DATABASE_URL: source.url, ZHIKE_DATA_DIR: dataDir, ZHIKE_MASTER_KEY: TEST_MASTER_KEY };
      const archive = join(work, 'shop.tar.gz');

      if (backend === 'postgres') {
        const noTools = await run(['backup', '--out', join(work, 'x.tar.gz')], { ...env, PATH: work });
        expect(noTools.code).toBe(1);
        expect(noTools.stderr).toContain('pg_dump was not found on PATH');
        const oldTool = join(work, 'pg_dump');
        writeFileSync(oldTool, '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n', { mode: 0o755 });
        const tooOld = await run(['backup', '--out', join(work, 'x.tar.gz')], { ...env, PATH: work });
        expect(tooOld.code).toBe(1);
        expect(tooOld.stderr).toMatch(/pg_dump on PATH is version 9 but the server runs PostgreSQL \d+/);
        rmSync(oldTool);
      }
      // The app is still open: on SQLite its latest writes sit in the WAL, not yet in the main file.
      if (backend === 'sqlite') expect(statSync(`${source.url}-wal`).size).toBeGreaterThan(0);
      const made = await run(['backup', '--out', archive], env);
      expect(made.stderr).toContain('master key is NOT in this backup');
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toContain('1 encrypted file and secret.key');
      expect((await run(['backup', '--out', archive], env)).stderr).toContain('already exists');
      await t.close();

      await source.drop();
      rmSync(dataDir, { recursive: true, force: true });

      target = await emptyDatabase(backend);
      const restoreEnv = { ...env, DATABASE_URL: target.url, ZHIKE_DATA_DIR: restoredDir };
      const restored = await run(['restore', archive], restoreEnv);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(restored.stdout).toContain(`Restored the ${backend} database and 1 encrypted file`);
      await expectShopReadable(backend, target, restoredDir, seeded);

      // The restored shop now holds data: replacing it takes --force.
      const again = await run(['restore', archive], restoreEnv);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/is not empty .*--force/);
      const forced = await run(['restore', archive, '--force'], restoreEnv);
      expect(forced.code, forced.stderr).toBe(0);
      await expectShopReadable(backend, target, restoredDir, seeded);
    } finally {
      await target?.drop();
      await source.drop().catch(() => {});
      for (const dir of [dataDir, work, restoredDir]) rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('zhike backup and restore with the S3 file store', () => {
  it('archives the objects of the bucket and puts them back into it, replacing what was there', async () => {
    const s3 = await startFakeS3({
      bucket: 'zhike-backup',
      accessKeyId: 'backup-key',
      secretAccessKey: 'backup-secret',
    });
    const source = await createTestDatabase('sqlite');
    const dataDir = tempDir('s3-backup-data');
    const work = tempDir('s3-backup-out');
    const restoredDir = tempDir('s3-restore-data');
    let target: TestDatabase | undefined;
    const s3Env = {
      ZHIKE_FILE_STORE: 's3',
      ZHIKE_S3_ENDPOINT: s3.url,
      ZHIKE_S3_BUCKET: 'zhike-backup',
      ZHIKE_S3_ACCESS_KEY_ID: 'backup-key',
      ZHIKE_S3_SECRET_ACCESS_KEY: 'backup-secret',
      ZHIKE_S3_PREFIX: 'zhike/',
    };
    try {
      const t = await createTestApp('sqlite', {
        database: source,
        env: { ZHIKE_DATA_DIR: dataDir, ...s3Env },
        startWorker: false,
      });
      const seeded = await seedShop(t);
      const key = `zhike/attachments/${seeded.workspaceId}/${seeded.attachmentId}.zkf`;
      const ciphertext = s3.objects.get(key)?.body;
      expect(ciphertext?.subarray(0, 4).toString()).toBe('ZKF1');
      const env = {
        DATABASE_URL: source.url,
        ZHIKE_DATA_DIR: dataDir,
        ZHIKE_MASTER_KEY: TEST_MASTER_KEY,
        ...s3Env,
      };
      const archive = join(work, 'shop.tar.gz');
      const made = await run(['backup', '--out', archive], env);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toContain('1 encrypted file and secret.key');
      await t.close();
      const listing = spawnSync('tar', ['tzf', archive], { encoding: 'utf8' }).stdout.split('\n');
      expect(listing).toContain(`files/attachments/${seeded.workspaceId}/${seeded.attachmentId}.zkf`);

      // The bucket loses the shop's file and gains one no row points to; the database is gone.
      s3.objects.clear();
      const strayKey = `zhike/attachments/${seeded.workspaceId}/0190a1b2-0000-7000-8000-0000000000ee.zkf`;
      s3.objects.set(strayKey, { body: Buffer.from('stray'), etag: '"x"', modified: new Date() });
      await source.drop();

      target = await emptyDatabase('sqlite');
      const restoreEnv = { ...env, DATABASE_URL: target.url, ZHIKE_DATA_DIR: restoredDir };
      const restored = await run(['restore', archive], restoreEnv);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain('Restored the sqlite database and 1 encrypted file');
      expect(s3.objects.get(key)?.body.equals(ciphertext!)).toBe(true);
      expect(s3.objects.has(strayKey)).toBe(false);
      expect(existsSync(join(restoredDir, 'attachments'))).toBe(false);
      await expectShopReadable('sqlite', target, restoredDir, seeded, s3Env);

      // A store that refuses the credentials stops the restore before it touches the database.
      const refused = await run(['restore', archive, '--force'], {
        ...restoreEnv,
        ZHIKE_S3_SECRET_ACCESS_KEY: 'not-the-secret',
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/file store .* is not usable: .*SignatureDoesNotMatch/);
    } finally {
      await target?.drop();
      await source.drop().catch(() => {});
      for (const dir of [dataDir, work, restoredDir]) rmSync(dir, { recursive: true, force: true });
      await s3.close();
    }
  }, 180_000);
});

describe('zhike restore refuses what it cannot restore faithfully', () => {
  it('a damaged archive, a changed file, a newer schema, a missing master key, bad arguments', async () => {
    const source = await createTestDatabase('sqlite');
    const dataDir = tempDir('refuse-data');
    const work = tempDir('refuse-out');
    try {
      const t = await createTestApp('sqlite', {
        database: source,
        env: { ZHIKE_DATA_DIR: dataDir },
        startWorker: false,
      });
      const seeded = await seedShop(t);
      await t.close();
      const env = { DATABASE_URL: source.url, ZHIKE_DATA_DIR: dataDir, ZHIKE_MASTER_KEY: TEST_MASTER_KEY };
      const archive = join(work, 'shop.tar.gz');
      expect((await run(['backup', '--out', archive], env)).code).toBe(0);
      const fresh = () => ({
        DATABASE_URL: join(tempDir('refuse-db'), 'zhike.db'),
        ZHIKE_DATA_DIR: tempDir('refuse-dir'),
      });

      // A flipped byte inside the compressed data.
      const bytes = readFileSync(archive);
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
      const damaged = join(work, 'damaged.tar.gz');
      writeFileSync(damaged, bytes);
      const broken = await run(['restore', damaged], { ...env, ...fresh() });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/^zhike restore: .*(damaged|checksum)/);

      // A well-formed archive whose file no longer matches the manifest's checksum.
      const tampered = join(work, 'tampered.tar.gz');
      const writer = createArchiveWriter(tampered);
      const db = await writer.addBuffer('database/zhike.db', readFileSync(source.url));
      const manifest = {
        format: 'zhike-backup',
        formatVersion: 1,
        zhikeVersion: 'test',
        createdAt: new Date().toISOString(),
        backend: 'sqlite',
        migrations: ['0001_initial'],
        masterKeyIds: [],
        includesMasterKey: false,
        files: [{ ...db, sha256: '0'.repeat(64) }],
      };
      await writer.addBuffer('manifest.json', Buffer.from(JSON.stringify(manifest)));
      await writer.close();
      const changed = await run(['restore', tampered], { ...env, ...fresh() });
      expect(changed.code).toBe(1);
      expect(changed.stderr).toContain('database/zhike.db does not match its checksum');

      // From a Zhike with a migration this one does not know.
      const newer = join(work, 'newer.tar.gz');
      const w2 = createArchiveWriter(newer);
      const db2 = await w2.addBuffer('database/zhike.db', readFileSync(source.url));
      await w2.addBuffer(
        'manifest.json',
        Buffer.from(
          JSON.stringify({ ...manifest, migrations: ['0001_initial', '9999_future'], files: [db2] }),
        ),
      );
      await w2.close();
      const future = await run(['restore', newer], { ...env, ...fresh() });
      expect(future.code).toBe(1);
      expect(future.stderr).toContain('comes from a newer Zhike');
      expect(future.stderr).toContain('9999_future');

      // Without the master key its data is sealed under, nothing is restored.
      const withoutKey = fresh();
      const keyless = await run(['restore', archive], withoutKey);
      expect(keyless.code).toBe(1);
      expect(keyless.stderr).toContain('sealed under master key');
      expect(keyless.stderr).toContain(join(withoutKey.ZHIKE_DATA_DIR, 'master.key'));
      // …unless the backup carries it (--include-master-key), which then lands in the key file.
      const keyed = join(work, 'keyed.tar.gz');
      const withKey = await run(['backup', '--out', keyed, '--include-master-key'], env);
      expect(withKey.stderr).toContain('holds the master key');
      const restored = await run(['restore', keyed], withoutKey);
      expect(restored.code, restored.stderr).toBe(0);
      expect(readFileSync(join(withoutKey.ZHIKE_DATA_DIR, 'master.key'), 'utf8').trim()).toBe(
        TEST_MASTER_KEY,
      );
      await expectShopReadable(
        'sqlite',
        { url: withoutKey.DATABASE_URL, drop: async () => {} },
        withoutKey.ZHIKE_DATA_DIR,
        seeded,
      );

      expect((await run(['restore'], env)).code).toBe(2);
      expect((await run(['restore', join(work, 'nope.tar.gz')], env)).stderr).toContain('no backup file');
      expect((await run(['backup', '--bogus'], env)).code).toBe(2);
      expect((await run(['migrate', '--to', 'postgres://x/y'], env)).code).toBe(2);
      expect((await run(['migrate', '--from', 'postgres://x/y'], env)).stderr).toContain(
        'must name a SQLite file',
      );
      expect((await run(['migrate', '--from', source.url, '--batch-rows', '0'], env)).code).toBe(2);

      // The real command: one line, no stack trace, exit status 1.
      const spawned = spawnSync(
        process.execPath,
        [join(import.meta.dirname, '../bin/zhike.mjs'), 'restore', damaged],
        {
          env: { ...process.env, ...env, ...fresh(), LOG_LEVEL: 'silent' },
          encoding: 'utf8',
        },
      );
      expect(spawned.status).toBe(1);
      expect(spawned.stderr.trim().split('\n')).toHaveLength(1);
      expect(spawned.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    } finally {
      await source.drop();
      for (const dir of [dataDir, work]) rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('zhike migrate --from sqlite: --to postgres://', () => {
  it('moves every row of a shop, and the app on PostgreSQL opens its sealed customers', async () => {
    const source = await createTestDatabase('sqlite');
    const target = await createTestDatabase('postgres', { empty: true });
    const dataDir = tempDir('move-data');
    try {
      const t = await createTestApp('sqlite', {
        database: source,
        env: { ZHIKE_DATA_DIR: dataDir },
        startWorker: false,
      });
      const seeded = await seedShop(t);
      const env = { DATABASE_URL: source.url, ZHIKE_DATA_DIR: dataDir, ZHIKE_MASTER_KEY: TEST_MASTER_KEY };
      // The source app keeps running during the move: it copies from a snapshot.
      const moved = await run(['migrate', '--from', `sqlite:${source.url}`, '--to', target.url], env);
      expect(moved.code, moved.stderr).toBe(0);
      expect(moved.stdout).toContain("every table's row count matches");
      expect(moved.stderr).toContain('same master key');
      await t.close();

      const sqlite = new SQLite(source.url, { readonly: true });
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      try {
        const tables = sqlite
          .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
          .pluck()
          .all() as string[];
        expect(tables.length).toBeGreaterThan(50);
        let rows = 0;
        for (const table of tables.filter((n) => !n.startsWith('kysely_'))) {
          const there = Number((await client.query(`select count(*) as n from "${table}"`)).rows[0].n);
          const here = Number(sqlite.prepare(`select count(*) from "${table}"`).pluck().get());
          expect({ table, rows: there }).toEqual({ table, rows: here });
          rows += here;
        }
        expect(moved.stdout).toContain(`Copied ${rows} rows`);
      } finally {
        sqlite.close();
        await client.end();
      }
      expect(await sealedNameInDatabase('postgres', target.url, seeded.customerId)).toMatch(/^zk1:/);
      await expectShopReadable('postgres', target, dataDir, seeded);

      const again = await run(['migrate', '--from', source.url, '--to', target.url], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/target database is not empty .*--force/);
      const forced = await run(['migrate', '--from', source.url, '--to', target.url, '--force'], env);
      expect(forced.code, forced.stderr).toBe(0);
      await expectShopReadable('postgres', target, dataDir, seeded);
    } finally {
      await source.drop();
      await target.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
