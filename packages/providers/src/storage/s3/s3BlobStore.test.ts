// The S3 store against a local server that speaks the S3 REST operations and checks every SigV4
// signature itself: round trips in both addressing styles, paging, multipart uploads, refusals that store
// nothing, retries of 5xx and dropped or unanswered requests.
import { request } from 'node:http';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BlobNotFound, BlobStoreError } from '../blobStore.ts';
import { type FakeS3, startFakeS3 } from '../testSupport/s3Server.ts';
import { createS3BlobStore, type S3BlobStoreOptions } from './s3BlobStore.ts';
import { S3Error } from './s3Client.ts';
import { EMPTY_SHA256, signV4 } from './sigv4.ts';

const BUCKET = 'zhike-files';
const KEYS = { accessKeyId: 'zhike-test-key', secretAccessKey: 'zhike-test-secret-0123456789' };
const MIB = 1024 * 1024;

let s3: FakeS3;
const stores: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  s3 = await startFakeS3({ bucket: BUCKET, ...KEYS, pageSize: 2 });
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await s3.close();
});
beforeEach(() => {
  s3.objects.clear();
  s3.requests.length = 0;
  s3.faults.length = 0;
});

function storeOf(options: Partial<S3BlobStoreOptions> = {}) {
  const store = createS3BlobStore({
    endpoint: s3.url,
    region: 'us-east-1',
    bucket: BUCKET,
    credentials: KEYS,
    forcePathStyle: true,
    retryBaseMs: 5,
    timeoutMs: 2000,
    ...options,
  });
  stores.push(store);
  return store;
}

/** Every name resolves to the test server, as DNS would point bucket.s3.example at the store. */
const toLoopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

const bytes = (n: number, seed = 7) => {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
};
const read = async (stream: Readable) => Buffer.concat(await stream.toArray());
const ops = () => s3.requests.map((r) => `${r.method} ${Object.keys(r.query).sort().join(',')} ${r.status}`);

describe('S3 file store', () => {
  it('puts, stats, gets, lists (page by page) and deletes objects, path-style, under a key prefix', async () => {
    const store = storeOf({ prefix: 'shop1/' });
    await store.put('attachments/w1/a.zkf', bytes(1000));
    await store.put('attachments/w1/b.zkf', Readable.from([bytes(10), bytes(20)]));
    await store.put('attachments/w2/c.zkf', bytes(3));
    await store.put('recordings/w1/r.zkf', bytes(5));
    expect([...s3.objects.keys()].sort()).toEqual([
      'shop1/attachments/w1/a.zkf',
      'shop1/attachments/w1/b.zkf',
      'shop1/attachments/w2/c.zkf',
      'shop1/recordings/w1/r.zkf',
    ]);
    expect(s3.requests.every((r) => r.style === 'path')).toBe(true);

    expect((await read(store.get('attachments/w1/a.zkf'))).equals(bytes(1000))).toBe(true);
    expect(await store.stat('attachments/w1/b.zkf')).toMatchObject({ key: 'attachments/w1/b.zkf', size: 30 });
    expect(await store.stat('attachments/w1/nope.zkf')).toBeNull();

    // Three objects under attachments/ over pages of two: the continuation token is followed.
    const listed = [];
    for await (const blob of store.list('attachments/')) listed.push(`${blob.key}:${blob.size}`);
    expect(listed).toEqual([
      'attachments/w1/a.zkf:1000',
      'attachments/w1/b.zkf:30',
      'attachments/w2/c.zkf:3',
    ]);
    expect(s3.requests.filter((r) => r.query['list-type'] === '2')).toHaveLength(2);

    await store.delete('attachments/w1/a.zkf');
    await store.delete('attachments/w1/a.zkf'); // not there: no error
    expect(s3.objects.has('shop1/attachments/w1/a.zkf')).toBe(false);
    await expect(read(store.get('attachments/w1/a.zkf'))).rejects.toBeInstanceOf(BlobNotFound);
    await store.check();
  });

  it('speaks virtual-host style: the bucket in the host name', async () => {
    const store = storeOf({
      endpoint: `http://s3.test.invalid:${s3.port}`,
      forcePathStyle: false,
      lookup: toLoopback,
    });
    await store.put('attachments/w/v.zkf', bytes(64));
    expect((await read(store.get('attachments/w/v.zkf'))).equals(bytes(64))).toBe(true);
    const listed = [];
    for await (const blob of store.list('')) listed.push(blob.key);
    expect(listed).toEqual(['attachments/w/v.zkf']);
    expect(s3.requests.length).toBeGreaterThan(0);
    expect(s3.requests.every((r) => r.style === 'virtual-host' && r.status < 300)).toBe(true);
  });

  it('uploads a large object in signed parts and joins them; nothing is visible before that', async () => {
    const store = storeOf({ partSize: 5 * MIB });
    const body = bytes(12 * MIB + 12345);
    const chunks = Readable.from(
      (function* () {
        for (let i = 0; i < body.length; i += 64 * 1024) yield body.subarray(i, i + 64 * 1024);
      })(),
    );
    expect(await store.put('recordings/w/long.zkf', chunks)).toEqual({ size: body.length });
    // Two full parts while the stream flows, the rest as the last (smaller) part when it ends, then the join.
    expect(ops()).toEqual([
      'POST uploads 200',
      'PUT partNumber,uploadId 200',
      'PUT partNumber,uploadId 200',
      'PUT partNumber,uploadId 200',
      'POST uploadId 200',
    ]);
    expect(s3.objects.get('recordings/w/long.zkf')?.body.equals(body)).toBe(true);
    expect(s3.openUploads()).toBe(0);

    // A writer destroyed half-way (a refused upload) aborts: no object, no upload left open.
    const writer = store.writer('recordings/w/cut.zkf');
    await new Promise<void>((resolve, reject) =>
      writer.write(bytes(6 * MIB), (e) => (e ? reject(e) : resolve())),
    );
    expect(s3.openUploads()).toBe(1);
    await new Promise<void>((resolve) => {
      writer.on('error', () => {}); // the refusal itself, expected
      writer.on('close', resolve);
      writer.destroy(new Error('refused'));
    });
    expect(s3.openUploads()).toBe(0);
    expect(s3.objects.has('recordings/w/cut.zkf')).toBe(false);
  });

  it('refuses with a clear error when the secret or key id is wrong, and stores nothing', async () => {
    const wrongSecret = storeOf({ credentials: { ...KEYS, secretAccessKey: 'not-the-secret' } });
    const failure = await wrongSecret.put('attachments/w/x.zkf', bytes(100)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(S3Error);
    expect(failure).toBeInstanceOf(BlobStoreError);
    expect((failure as S3Error).code).toBe('SignatureDoesNotMatch');
    expect((failure as S3Error).status).toBe(403);
    expect((failure as Error).message).toMatch(
      /PutObject s3:\/\/zhike-files\/attachments\/w\/x\.zkf failed with SignatureDoesNotMatch \(HTTP 403\): The request signature we calculated.* — the secret access key is wrong/,
    );
    // A 4xx is an answer, not a hiccup: asked once, not retried.
    expect(s3.requests).toHaveLength(1);
    // Large or small, nothing is half-written.
    await expect(wrongSecret.put('recordings/w/big.zkf', bytes(9 * MIB))).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    expect(s3.objects.size).toBe(0);
    expect(s3.openUploads()).toBe(0);
    await expect(wrongSecret.check()).rejects.toThrow(
      /ListObjectsV2 s3:\/\/zhike-files failed with SignatureDoesNotMatch/,
    );

    const unknownKey = storeOf({ credentials: { ...KEYS, accessKeyId: 'who' } });
    await expect(unknownKey.stat('attachments/w/x.zkf')).rejects.toMatchObject({ code: 'Forbidden' });
    await expect(unknownKey.check()).rejects.toThrow(/InvalidAccessKeyId.*access key id is unknown/);
    const wrongBucket = storeOf({ bucket: 'no-such-bucket' });
    await expect(wrongBucket.check()).rejects.toThrow(/NoSuchBucket.*create the bucket/);
  });

  it('the test server really checks signatures: a signed request sent elsewhere is refused', async () => {
    const signed = signV4({
      method: 'GET',
      host: `127.0.0.1:${s3.port}`,
      path: `/${BUCKET}/attachments/a.zkf`,
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      service: 's3',
      now: new Date(),
      credentials: KEYS,
    });
    const statusOf = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: s3.port, path, headers: signed.headers }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    expect((await statusOf(`/${BUCKET}/attachments/a.zkf`)).status).toBe(404); // signed right, not there
    const moved = await statusOf(`/${BUCKET}/attachments/b.zkf`);
    expect(moved.status).toBe(403);
    expect(moved.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('retries 5xx answers, dropped connections and unanswered requests, then gives up with the reason', async () => {
    const store = storeOf({ timeoutMs: 300 });
    s3.faults.push('slow-down', 'internal-error', 'reset');
    await store.put('attachments/w/r.zkf', bytes(2000));
    expect(s3.objects.get('attachments/w/r.zkf')?.body.equals(bytes(2000))).toBe(true);

    s3.faults.push('hang');
    const started = Date.now();
    expect((await read(store.get('attachments/w/r.zkf'))).length).toBe(2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);

    s3.faults.push('slow-down', 'slow-down', 'slow-down', 'slow-down');
    await expect(store.put('attachments/w/s.zkf', bytes(10))).rejects.toThrow(
      /PutObject .* failed with SlowDown \(HTTP 503\): Please reduce your request rate/,
    );
    expect(s3.objects.has('attachments/w/s.zkf')).toBe(false);

    const patient = storeOf({ timeoutMs: 200, retries: 1 });
    s3.faults.push('hang', 'hang');
    await expect(patient.stat('attachments/w/r.zkf')).rejects.toMatchObject({ code: 'Timeout' });
  });

  it('refuses keys that could name something else', () => {
    const store = storeOf();
    expect(() => store.writer('../etc/passwd')).toThrow(BlobStoreError);
    expect(() => store.get('a//b')).toThrow(BlobStoreError);
    expect(() => createS3BlobStore({ ...storeOptions(), prefix: 'no-slash' })).toThrow(/end with/);
    expect(() => createS3BlobStore({ ...storeOptions(), partSize: 1024 })).toThrow(/at least/);
  });
});

function storeOptions(): S3BlobStoreOptions {
  return { endpoint: s3.url, region: 'us-east-1', bucket: BUCKET, credentials: KEYS, forcePathStyle: true };
}
