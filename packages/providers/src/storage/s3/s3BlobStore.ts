// The file store in an S3-compatible bucket (MinIO, AWS S3, Ceph RGW, Aliyun OSS, Tencent COS…), shared by
// every server process. Uploads are held in parts of `partSize` bytes: an object that fits one part is one
// signed PUT, a larger one (a long call's recording) a multipart upload whose parts are each signed with
// their own SHA-256 and retried alone, so memory stays at one part per upload whatever the file's size,
// and the object appears only when the upload completes (aborted otherwise: nothing half-written).
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertBlobKey, assertBlobPrefix, BlobNotFound, type BlobStore, putThrough } from '../blobStore.ts';
import { createS3Client, type S3Client, S3Error, type S3Settings } from './s3Client.ts';
import { escapeXml, parseErrorBody, parseListPage, xmlValue } from './s3Xml.ts';

export interface S3BlobStoreOptions extends S3Settings {
  /** Key prefix inside the bucket ('' or ending in '/'), so one bucket can serve several installations. */
  prefix?: string;
  /** Bytes per upload part; S3 wants at least 5 MiB for every part but the last. Default 8 MiB. */
  partSize?: number;
}

export interface S3BlobStore extends BlobStore {
  readonly kind: 's3';
}

const MIN_PART = 5 * 1024 * 1024;
const OCTETS = { 'content-type': 'application/octet-stream' };

export function createS3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  const prefix = options.prefix ?? '';
  if (prefix !== '' && !prefix.endsWith('/')) throw new Error('the S3 key prefix must end with "/"');
  if (prefix !== '') assertBlobPrefix(prefix);
  const partSize = options.partSize ?? 8 * 1024 * 1024;
  if (partSize < MIN_PART) throw new Error(`S3 upload parts must have at least ${MIN_PART} bytes`);
  const client = createS3Client(options);
  const full = (key: string) => prefix + assertBlobKey(key);

  const writer = (key: string): Writable => new S3Upload(client, full(key), partSize);

  const store: S3BlobStore = {
    kind: 's3',
    location: `s3://${options.bucket}/${prefix} at ${new URL(options.endpoint).origin}`,
    writer,
    put: (key, body) => putThrough(writer(key), body),
    async moveIn(key, file) {
      await pipeline(createReadStream(file), writer(key));
      await rm(file, { force: true });
    },
    get(key) {
      return new S3Download(client, full(key), key);
    },
    async stat(key) {
      const answer = await client.send({
        operation: 'HeadObject',
        method: 'HEAD',
        key: full(key),
        accept: [404],
      });
      if (answer.status === 404) return null;
      const lastModified = answer.headers['last-modified'];
      return {
        key,
        size: Number(answer.headers['content-length'] ?? 0),
        modified: lastModified ? new Date(lastModified) : new Date(0),
      };
    },
    async delete(key) {
      // S3 answers 204 whether or not the object was there; some compatible stores say 404.
      await client.send({ operation: 'DeleteObject', method: 'DELETE', key: full(key), accept: [404] });
    },
    async *list(listPrefix) {
      assertBlobPrefix(listPrefix);
      let token: string | null = null;
      do {
        const answer = await client.send({
          operation: 'ListObjectsV2',
          method: 'GET',
          key: '',
          query: {
            'list-type': '2',
            prefix: prefix + listPrefix,
            'max-keys': '1000',
            ...(token ? { 'continuation-token': token } : {}),
          },
        });
        const page = parseListPage(answer.body.toString('utf8'));
        for (const object of page.objects)
          if (object.key.startsWith(prefix)) yield { ...object, key: object.key.slice(prefix.length) };
        token = page.nextToken;
      } while (token);
    },
    async check() {
      await client.send({
        operation: 'ListObjectsV2',
        method: 'GET',
        key: '',
        query: { 'list-type': '2', prefix, 'max-keys': '1' },
      });
    },
    async close() {
      client.close();
    },
  };
  return store;
}

/** One object's upload: buffered to a part, then a PUT or a multipart upload. */
class S3Upload extends Writable {
  private parts: Buffer[] = [];
  private buffered = 0;
  private uploadId: string | null = null;
  private readonly etags: string[] = [];
  private stored = false;
  private total = 0;

  constructor(
    private readonly client: S3Client,
    private readonly key: string,
    private readonly partSize: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    this.parts.push(chunk);
    this.buffered += chunk.length;
    this.total += chunk.length;
    if (this.buffered < this.partSize) return callback();
    this.uploadPart().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void) {
    const finish = async () => {
      if (this.uploadId === null) {
        await this.client.send({
          operation: 'PutObject',
          method: 'PUT',
          key: this.key,
          headers: OCTETS,
          body: this.take(),
        });
      } else {
        if (this.buffered > 0) await this.uploadPart();
        await this.complete();
      }
      this.stored = true;
    };
    finish().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    this.parts = [];
    const uploadId = this.uploadId;
    if (this.stored || uploadId === null) return callback(error);
    // Parts of an aborted upload are dropped by the store; failing to abort only leaves invisible parts
    // (a bucket lifecycle rule for incomplete uploads sweeps those).
    this.client
      .send({
        operation: 'AbortMultipartUpload',
        method: 'DELETE',
        key: this.key,
        query: { uploadId },
        accept: [404],
      })
      .then(
        () => callback(error),
        () => callback(error),
      );
  }

  private take(): Buffer {
    const body = Buffer.concat(this.parts);
    this.parts = [];
    this.buffered = 0;
    return body;
  }

  private async uploadPart(): Promise<void> {
    if (this.uploadId === null) {
      const created = await this.client.send({
        operation: 'CreateMultipartUpload',
        method: 'POST',
        key: this.key,
        query: { uploads: '' },
        headers: OCTETS,
      });
      const id = xmlValue(created.body.toString('utf8'), 'UploadId');
      if (!id)
        throw new S3Error(
          `CreateMultipartUpload ${this.key}: no UploadId in the answer`,
          'BadAnswer',
          created.status,
          null,
        );
      this.uploadId = id;
    }
    const partNumber = this.etags.length + 1;
    const answer = await this.client.send({
      operation: 'UploadPart',
      method: 'PUT',
      key: this.key,
      query: { partNumber: String(partNumber), uploadId: this.uploadId },
      body: this.take(),
    });
    const etag = answer.headers.etag;
    if (typeof etag !== 'string' || etag === '')
      throw new S3Error(`UploadPart ${this.key}: no ETag in the answer`, 'BadAnswer', answer.status, null);
    this.etags.push(etag);
  }

  private async complete(): Promise<void> {
    const parts = this.etags
      .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`)
      .join('');
    const answer = await this.client
      .send({
        operation: 'CompleteMultipartUpload',
        method: 'POST',
        key: this.key,
        query: { uploadId: this.uploadId ?? '' },
        headers: { 'content-type': 'application/xml' },
        body: Buffer.from(`<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`),
      })
      .catch(async (error: unknown) => {
        // A retry after an answer lost on the way finds the upload already joined: the object is the proof.
        if (!(error instanceof S3Error) || error.code !== 'NoSuchUpload') throw error;
        const head = await this.client.send({
          operation: 'HeadObject',
          method: 'HEAD',
          key: this.key,
          accept: [404],
        });
        if (head.status !== 200 || Number(head.headers['content-length']) !== this.total) throw error;
        return { ...head, body: Buffer.alloc(0) };
      });
    // S3 may answer 200 and still fail: the status goes out before the parts are joined.
    const error = parseErrorBody(answer.body.toString('utf8'));
    if (error)
      throw new S3Error(
        `CompleteMultipartUpload ${this.key} failed with ${error.code}: ${error.message}`,
        error.code,
        answer.status,
        error.requestId,
      );
  }
}

/** An object's bytes, requested on the first read, so an unread stream costs no connection. */
class S3Download extends Readable {
  private response: IncomingMessage | null = null;
  private started = false;

  constructor(
    private readonly client: S3Client,
    private readonly fullKey: string,
    private readonly key: string,
  ) {
    super();
  }

  override _read() {
    if (this.response) {
      this.response.resume();
      return;
    }
    if (this.started) return;
    this.started = true;
    this.client.open({ operation: 'GetObject', method: 'GET', key: this.fullKey }).then(
      (res) => {
        if (this.destroyed) {
          res.destroy();
          return;
        }
        this.response = res;
        res.on('data', (chunk: Buffer) => {
          if (!this.push(chunk)) res.pause();
        });
        res.on('end', () => this.push(null));
        res.on('error', (error) => this.destroy(error));
        res.on('aborted', () =>
          this.destroy(
            new S3Error(`GetObject ${this.fullKey}: the answer broke off`, 'NetworkError', null, null),
          ),
        );
      },
      (error: unknown) =>
        this.destroy(
          error instanceof S3Error && (error.code === 'NoSuchKey' || error.status === 404)
            ? new BlobNotFound(this.key)
            : (error as Error),
        ),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    this.response?.destroy();
    callback(error);
  }
}
