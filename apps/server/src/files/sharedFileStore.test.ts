// ZHIKE_FILE_STORE=s3 end to end, against a local server speaking S3 that checks every signature: two
// apps sharing one database and one bucket (two server processes) — a visitor's photo uploaded through
// one is downloaded through the other; the bucket holds only ciphertext; erasing the customer and the
// retention policy delete the objects; a long call's recording is stored in parts and read back; a wrong
// secret stops the server at start, and a store that fails later answers 503 with nothing stored.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WidgetAttachmentUploaded, WidgetSession } from '@zhike/contracts';
import { createTestDatabase } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from '../../../../packages/providers/src/storage/testSupport/s3Server.ts';
import { loadConfig } from '../config.ts';
import { applyRetention } from '../privacy/retention.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { createRecordingFiles } from '../voice/recording.ts';
import { createFileStore } from './fileStore.ts';

const BUCKET = 'zhike-shared';
const KEYS = { id: 'shared-test-key', secret: 'shared-test-secret-0123456789abcdef' };
const MARKER = 'S3-只有密文-marker';
const png = (text: string) =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from(`${MARKER}${text}`.repeat(30)),
  ]);

let s3: FakeS3;
beforeAll(async () => {
  s3 = await startFakeS3({ bucket: BUCKET, accessKeyId: KEYS.id, secretAccessKey: KEYS.secret });
});
afterAll(async () => {
  await s3.close();
});

const s3Env = (overrides: Record<string, string> = {}) => ({
  ZHIKE_FILE_STORE: 's3',
  ZHIKE_S3_ENDPOINT: s3.url,
  ZHIKE_S3_BUCKET: BUCKET,
  ZHIKE_S3_ACCESS_KEY_ID: KEYS.id,
  ZHIKE_S3_SECRET_ACCESS_KEY: KEYS.secret,
  ZHIKE_S3_PREFIX: 'shop',
  ...overrides,
});

async function visitorOf(t: TestApp) {
  const workspaceId = await t.demoWorkspaceId();
  const inboxes = await t.app.zhike.db.forWorkspace(workspaceId).inboxes.list();
  const widget = inboxes.find((i) => i.channel === 'widget')!;
  const session = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: { inbox: widget.widgetToken },
    })
  ).json() as WidgetSession;
  const upload = (body: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/widget/attachments?inbox=${widget.widgetToken}&visitorToken=${encodeURIComponent(session.visitorToken)}&name=photo.png`,
      headers: { 'content-type': 'image/png' },
      payload: body,
    });
  return { workspaceId, session, upload };
}

describe('the S3 file store shared by two apps', () => {
  it('uploads on one app, downloads on the other; erase and retention delete the objects', async () => {
    const database = await createTestDatabase('sqlite');
    const one = await createTestApp('sqlite', { database, env: s3Env(), startWorker: false });
    const two = await createTestApp('sqlite', { database, env: s3Env(), startWorker: false });
    try {
      const visitor = await visitorOf(one);
      const photo = png('one');
      const res = await visitor.upload(photo);
      expect(res.statusCode, res.body).toBe(201);
      const uploaded = res.json() as WidgetAttachmentUploaded;
      const key = `shop/attachments/${visitor.workspaceId}/${uploaded.attachment.id}.zkf`;
      const stored = s3.objects.get(key);
      expect(stored, [...s3.objects.keys()].join()).toBeDefined();
      expect(stored!.body.subarray(0, 4).toString()).toBe('ZKF1');
      expect(stored!.body.includes(Buffer.from(MARKER))).toBe(false);
      expect(existsSync(join(one.config.dataDir, 'attachments'))).toBe(false);

      // The other process: an agent there opens the file, and so does the visitor through it.
      const owner = await two.login();
      const byAgent = await two.app.inject({
        url: `/api/v1/attachments/${uploaded.attachment.id}`,
        headers: { cookie: owner.cookie },
      });
      expect(byAgent.statusCode).toBe(200);
      expect(byAgent.rawPayload.equals(photo)).toBe(true);
      const inboxes = await two.app.zhike.db.forWorkspace(visitor.workspaceId).inboxes.list();
      const widgetToken = inboxes.find((i) => i.channel === 'widget')!.widgetToken;
      const byVisitor = await two.app.inject({
        url: `/api/v1/widget/attachments/${uploaded.attachment.id}?inbox=${widgetToken}&visitorToken=${encodeURIComponent(visitor.session.visitorToken)}`,
      });
      expect(byVisitor.rawPayload.equals(photo)).toBe(true);

      // Erasing the customer on the second app deletes the object the first one stored.
      const customer = await two.app.zhike.db
        .forWorkspace(visitor.workspaceId)
        .customers.findByIdentity('visitor', visitor.session.visitorId);
      const erased = await two.app.inject({
        method: 'POST',
        url: `/api/v1/customers/${customer!.id}/erase`,
        headers: owner.headers,
        payload: { confirm: '删除' },
      });
      expect(erased.statusCode, erased.body).toBe(200);
      expect(erased.json()).toMatchObject({ filesRemoved: 1 });
      expect(s3.objects.has(key)).toBe(false);

      // Retention: a photo past the policy goes from the bucket, a fresh one stays.
      const later = await visitorOf(one);
      const old = (await later.upload(png('old'))).json() as WidgetAttachmentUploaded;
      const oldKey = `shop/attachments/${later.workspaceId}/${old.attachment.id}.zkf`;
      expect(s3.objects.has(oldKey)).toBe(true);
      const policy = await two.app.inject({
        method: 'PUT',
        url: '/api/v1/privacy/retention',
        headers: owner.headers,
        payload: { transcriptsDays: null, recordingsDays: null, attachmentsDays: 30 },
      });
      expect(policy.statusCode, policy.body).toBe(200);
      const in31Days = { now: () => new Date(Date.now() + 31 * 86_400_000) };
      const run = await applyRetention(
        { db: one.app.zhike.db, log: one.app.zhike.log, clock: in31Days },
        one.app.zhike.attachments,
      );
      expect(run.attachments).toBe(1);
      expect(s3.objects.has(oldKey)).toBe(false);
    } finally {
      await one.close();
      await two.close();
      await database.drop();
    }
  }, 60_000);

  it('stores a long recording in parts, reads it back, and removes it', async () => {
    const config = loadConfig({
      ZHIKE_DATA_DIR: '/nonexistent-zhike-data',
      ZHIKE_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      ZHIKE_SECRET: 'x'.repeat(40),
      ...s3Env(),
    });
    const store = createFileStore(config);
    try {
      const recordings = createRecordingFiles(store);
      const workspaceId = '0190a1b2-0000-7000-8000-0000000000aa';
      const callId = '0190a1b2-0000-7000-8000-0000000000bb';
      // About nine minutes of 8 kHz stereo 16-bit audio: more than one upload part.
      const wav = Buffer.alloc(17 * 1024 * 1024);
      for (let i = 0; i < wav.length; i += 2) wav.writeInt16LE(Math.round(8000 * Math.sin(i / 40)), i);
      const before = s3.requests.length;
      const saved = await recordings.save(workspaceId, callId, wav);
      expect(saved.size).toBe(wav.length);
      const calls = s3.requests.slice(before).map((r) => r.method);
      expect(calls.filter((m) => m === 'PUT').length).toBeGreaterThanOrEqual(3); // parts
      const object = s3.objects.get(`shop/recordings/${workspaceId}/${callId}.zkf`);
      expect(object?.body.subarray(0, 4).toString()).toBe('ZKF1');
      expect(await recordings.exists(workspaceId, callId)).toBe(true);
      const back = Buffer.concat(await recordings.open(workspaceId, callId, saved.fileKey).toArray());
      expect(back.equals(wav)).toBe(true);
      await recordings.remove(workspaceId, callId);
      expect(await recordings.exists(workspaceId, callId)).toBe(false);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('a wrong secret stops the app at start; a store failing later answers 503 and keeps nothing', async () => {
    const database = await createTestDatabase('sqlite');
    const starting = createTestApp('sqlite', {
      database,
      env: s3Env({ ZHIKE_S3_SECRET_ACCESS_KEY: 'wrong-secret-wrong-secret' }),
    });
    await expect(starting.finally(() => database.drop())).rejects.toThrow(
      /The file store \(s3:\/\/zhike-shared\/shop\/ at http:\/\/127\.0\.0\.1:\d+\) is not usable: ListObjectsV2 s3:\/\/zhike-shared failed with SignatureDoesNotMatch .* the secret access key is wrong/,
    );

    const t = await createTestApp('sqlite', { env: s3Env(), startWorker: false });
    try {
      const visitor = await visitorOf(t);
      const count = s3.objects.size;
      // Every attempt answered 500: the upload gives up after its retries.
      s3.faults.push('internal-error', 'internal-error', 'internal-error', 'internal-error');
      const res = await visitor.upload(png('down'));
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toMatchObject({
        detail: 'The file could not be stored just now; try again shortly',
      });
      expect(s3.faults).toHaveLength(0);
      expect(s3.objects.size).toBe(count);
      expect((await visitor.upload(png('up'))).statusCode).toBe(201);
    } finally {
      await t.close();
    }
  }, 60_000);
});
