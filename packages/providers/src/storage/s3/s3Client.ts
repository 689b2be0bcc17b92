// One signed S3 REST request at a time, over node:http(s) with a kept-alive agent: path-style or
// virtual-host addressing, SigV4 on every attempt (a retry is signed anew), 5xx and network failures retried
// with backoff, an inactivity timeout, and S3's XML error bodies turned into errors that say what to fix.
import { createHash } from 'node:crypto';
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { BlobStoreError } from '../blobStore.ts';
import { parseErrorBody } from './s3Xml.ts';
import { EMPTY_SHA256, encodeKeyPath, type SigV4Credentials, signV4 } from './sigv4.ts';

export interface S3Settings {
  /** http://minio:9000, https://s3.eu-central-1.amazonaws.com… */
  endpoint: string;
  region: string;
  bucket: string;
  credentials: SigV4Credentials;
  /** true: http://endpoint/bucket/key (MinIO's way); false: http://bucket.endpoint/key. */
  forcePathStyle: boolean;
  /** Milliseconds a request may sit without a byte moving before it is abandoned (and retried). */
  timeoutMs?: number;
  /** Further attempts after the first for 5xx and network failures. */
  retries?: number;
  /** The first retry's wait; each next one doubles it. */
  retryBaseMs?: number;
  /** Name resolution (tests point virtual-host names at 127.0.0.1). */
  lookup?: LookupFunction;
  now?: () => Date;
}

/** What failed: S3's error code (SignatureDoesNotMatch, NoSuchBucket…), or Timeout / NetworkError. */
export class S3Error extends BlobStoreError {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number | null,
    readonly requestId: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'S3Error';
  }
}

export interface S3Address {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  /** The Host header. */
  host: string;
  /** Encoded path (no query). */
  path: string;
}

/** Where a key (or the bucket itself, key '') is, in either addressing style. */
export function s3Address(settings: Pick<S3Settings, 'endpoint' | 'bucket' | 'forcePathStyle'>, key: string) {
  const url = new URL(settings.endpoint);
  const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
  const port = url.port ? Number(url.port) : protocol === 'https:' ? 443 : 80;
  const base = url.pathname.replace(/\/+$/, '');
  const encodedKey = key === '' ? '' : encodeKeyPath(key);
  const hostname = settings.forcePathStyle ? url.hostname : `${settings.bucket}.${url.hostname}`;
  const path = settings.forcePathStyle
    ? `${base}/${settings.bucket}${encodedKey ? `/${encodedKey}` : ''}`
    : `${base}/${encodedKey}`;
  return {
    protocol,
    hostname,
    port,
    host: url.port ? `${hostname}:${url.port}` : hostname,
    path,
  } satisfies S3Address;
}

export interface S3Call {
  /** The S3 action's name, for messages: PutObject, ListObjectsV2… */
  operation: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  /** The full object key ('' for the bucket). */
  key: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Statuses that are answers, not failures (HEAD's 404 is "not there"). */
  accept?: number[];
}

export interface S3Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface S3Client {
  readonly settings: S3Settings;
  /** Sends the call (retrying what may be retried) and reads the whole answer. */
  send(call: S3Call): Promise<S3Answer>;
  /** Sends the call and hands over the answer's body as it arrives (after a 2xx status). */
  open(call: S3Call): Promise<IncomingMessage>;
  close(): void;
}

/** Statuses worth another try: S3's own "slow down" and "try again" answers, and gateway trouble. */
const RETRIABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Hints for the errors an operator causes, naming the setting to look at. */
const HINTS: Record<string, string> = {
  SignatureDoesNotMatch: 'the secret access key is wrong',
  InvalidAccessKeyId: 'the access key id is unknown to the store',
  AccessDenied: 'the key may not do this in this bucket',
  NoSuchBucket: 'create the bucket or fix its name',
  AuthorizationHeaderMalformed: 'the region is probably wrong',
  PermanentRedirect: 'the bucket is in another region or needs another endpoint',
  RequestTimeTooSkewed: "this machine's clock is off",
};

const MAX_ERROR_BODY = 64 * 1024;

export function createS3Client(settings: S3Settings): S3Client {
  const timeoutMs = settings.timeoutMs ?? 30_000;
  const retries = settings.retries ?? 3;
  const retryBaseMs = settings.retryBaseMs ?? 250;
  const now = settings.now ?? (() => new Date());
  const isHttps = new URL(settings.endpoint).protocol === 'https:';
  const agent = isHttps
    ? new HttpsAgent({ keepAlive: true, maxSockets: 32 })
    : new HttpAgent({ keepAlive: true, maxSockets: 32 });
  const where = `s3://${settings.bucket}`;

  const describe = (call: S3Call) => `${call.operation} ${call.key ? `${where}/${call.key}` : where}`;

  /** One attempt: resolves with the response (body unread) or rejects with a network/timeout S3Error. */
  const attempt = (call: S3Call): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const address = s3Address(settings, call.key);
      const payload = call.body ?? null;
      const signed = signV4({
        method: call.method,
        host: address.host,
        path: address.path,
        query: call.query ?? {},
        headers: {
          ...(call.headers ?? {}),
          ...(payload || call.method === 'PUT' || call.method === 'POST'
            ? { 'content-length': String(payload?.length ?? 0) }
            : {}),
        },
        payloadHash: payload ? sha256Hex(payload) : EMPTY_SHA256,
        region: settings.region,
        service: 's3',
        now: now(),
        credentials: settings.credentials,
      });
      const options: RequestOptions = {
        protocol: address.protocol,
        hostname: address.hostname,
        port: address.port,
        method: call.method,
        path: signed.query ? `${address.path}?${signed.query}` : address.path,
        headers: signed.headers,
        agent,
        ...(settings.lookup ? { lookup: settings.lookup } : {}),
      };
      const req = address.protocol === 'https:' ? httpsRequest(options) : httpRequest(options);
      req.setTimeout(timeoutMs, () =>
        req.destroy(
          new S3Error(`${describe(call)}: no answer within ${timeoutMs / 1000} s`, 'Timeout', null, null),
        ),
      );
      req.on('response', (res) => {
        // The answer is here: its body may be read slowly by a slow client downstream, which is not a
        // stalled store, so the inactivity timeout stops at the status line.
        req.setTimeout(0);
        resolve(res);
      });
      req.on('error', (error) =>
        reject(
          error instanceof S3Error
            ? error
            : new S3Error(`${describe(call)}: ${error.message}`, 'NetworkError', null, null, {
                cause: error,
              }),
        ),
      );
      req.end(payload ?? undefined);
    });

  const failure = async (call: S3Call, res: IncomingMessage): Promise<S3Error> => {
    // Read (or drain) the answer either way, so its connection goes back to the pool.
    const body = (await readAll(res, MAX_ERROR_BODY).catch(() => Buffer.alloc(0))).toString('utf8');
    const parsed = parseErrorBody(body);
    const status = res.statusCode ?? 0;
    const code =
      parsed?.code ?? (status === 404 ? 'NotFound' : status === 403 ? 'Forbidden' : `HTTP${status}`);
    const hint = HINTS[code];
    const detail = parsed?.message ? `: ${parsed.message}` : '';
    return new S3Error(
      `${describe(call)} failed with ${code} (HTTP ${status})${detail}${hint ? ` — ${hint}` : ''}`,
      code,
      status,
      parsed?.requestId ?? (res.headers['x-amz-request-id'] as string | undefined) ?? null,
    );
  };

  /** Runs attempts until one answers with a status that is not worth retrying. */
  const exchange = async (call: S3Call): Promise<IncomingMessage> => {
    for (let n = 0; ; n++) {
      let res: IncomingMessage;
      try {
        res = await attempt(call);
      } catch (error) {
        if (n >= retries) throw error;
        await pause(retryBaseMs * 2 ** n);
        continue;
      }
      const status = res.statusCode ?? 0;
      if ((status >= 200 && status < 300) || call.accept?.includes(status)) return res;
      const error = await failure(call, res);
      if (!RETRIABLE_STATUS.has(status) || n >= retries) throw error;
      await pause(retryBaseMs * 2 ** n);
    }
  };

  return {
    settings,
    async send(call) {
      // A body that breaks off mid-way is a network failure like any other: the whole call is tried again.
      for (let n = 0; ; n++) {
        const res = await exchange(call);
        res.setTimeout(timeoutMs, () =>
          res.destroy(new S3Error(`${describe(call)}: the answer stalled`, 'Timeout', null, null)),
        );
        try {
          return { status: res.statusCode ?? 0, headers: res.headers, body: await readAll(res) };
        } catch (error) {
          if (n >= retries)
            throw new S3Error(`${describe(call)}: the answer broke off`, 'NetworkError', null, null, {
              cause: error,
            });
          await pause(retryBaseMs * 2 ** n);
        }
      }
    },
    open: exchange,
    close() {
      agent.destroy();
    },
  };
}

const sha256Hex = (body: Buffer) => createHash('sha256').update(body).digest('hex');

const pause = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms * (0.75 + Math.random() / 2)));

async function readAll(res: IncomingMessage, max = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > max) {
      res.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
