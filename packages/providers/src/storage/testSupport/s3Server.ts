// Test support: a local HTTP server speaking the S3 REST operations the file store uses (Put/Get/Head/
// DeleteObject, ListObjectsV2, multipart uploads), in path-style and virtual-host addressing, which checks
// every request's SigV4 signature itself — recomputed here from the request as received, not with the
// client's signer — and answers 403 SignatureDoesNotMatch XML when it differs. Faults can be queued
// (503 SlowDown, a request left unanswered, a dropped connection) to test retries and timeouts.
// Used only by *.test.ts files.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeS3Options {
  bucket: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Keys per ListObjectsV2 page at most, whatever the client asks (tests of continuation). */
  pageSize?: number;
}

export type Fault = 'slow-down' | 'internal-error' | 'hang' | 'reset';

export interface StoredObject {
  body: Buffer;
  etag: string;
  modified: Date;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The bucket, and how it was addressed. */
  style: 'path' | 'virtual-host';
  status: number;
}

export interface FakeS3 {
  url: string;
  port: number;
  objects: Map<string, StoredObject>;
  /** Multipart uploads begun and neither completed nor aborted. */
  openUploads(): number;
  requests: ReceivedRequest[];
  /** Answers the next requests with these faults, one each, before normal service resumes. */
  faults: Fault[];
  close(): Promise<void>;
}

const MIN_PART = 5 * 1024 * 1024;

// Encoding and hashing are written out again here, independently of the client's signer, so a mistake
// there cannot cancel itself out.
const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const mac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

function xmlError(code: string, message: string, resource: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Resource>${resource}</Resource><RequestId>${randomUUID()}</RequestId></Error>`;
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  const region = options.region ?? 'us-east-1';
  const objects = new Map<string, StoredObject>();
  const uploads = new Map<string, { key: string; parts: Map<number, { body: Buffer; etag: string }> }>();
  const requests: ReceivedRequest[] = [];
  const faults: Fault[] = [];
  const hanging = new Set<ServerResponse>();

  /** null when the signature holds; otherwise the error to answer with. */
  const checkSignature = (
    req: IncomingMessage,
    rawPath: string,
    rawQuery: string,
    body: Buffer,
  ): { status: number; code: string; message: string } | null => {
    const auth = req.headers.authorization ?? '';
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m)
      return { status: 403, code: 'AccessDenied', message: 'No valid AWS4-HMAC-SHA256 Authorization header' };
    const [, keyId, day, scopeRegion, signedList, signature] = m as unknown as string[];
    if (keyId !== options.accessKeyId)
      return {
        status: 403,
        code: 'InvalidAccessKeyId',
        message: 'The AWS Access Key Id you provided does not exist in our records.',
      };
    if (scopeRegion !== region)
      return {
        status: 400,
        code: 'AuthorizationHeaderMalformed',
        message: `the region '${scopeRegion}' is wrong; expecting '${region}'`,
      };
    const signed = signedList!.split(';');
    if (
      !signed.includes('host') ||
      !signed.includes('x-amz-date') ||
      !signed.includes('x-amz-content-sha256')
    )
      return {
        status: 403,
        code: 'AccessDenied',
        message: 'host, x-amz-date and x-amz-content-sha256 must be signed',
      };
    const stamp = String(req.headers['x-amz-date'] ?? '');
    const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
    if (!when || stamp.slice(0, 8) !== day)
      return {
        status: 403,
        code: 'AccessDenied',
        message: 'x-amz-date is missing or does not match the scope',
      };
    const at = Date.UTC(+when[1]!, +when[2]! - 1, +when[3]!, +when[4]!, +when[5]!, +when[6]!);
    if (Math.abs(Date.now() - at) > 15 * 60_000)
      return {
        status: 403,
        code: 'RequestTimeTooSkewed',
        message: 'The difference between the request time and the current time is too large.',
      };
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body))
      return {
        status: 400,
        code: 'XAmzContentSHA256Mismatch',
        message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
      };

    const canonicalPath = rawPath
      .split('/')
      .map((segment) => rfc3986(decodeURIComponent(segment)))
      .join('/');
    const canonicalQuery = rawQuery
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
        const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
        return [rfc3986(name), rfc3986(value)] as const;
      })
      // By name, then by value (sorting the joined "name=value" would put "a-b" before "a").
      .sort(([an, av], [bn, bv]) => (an === bn ? (av < bv ? -1 : av > bv ? 1 : 0) : an < bn ? -1 : 1))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const headerLines = signed.map((name) => {
      const value = req.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/ +/g, ' ')}\n`;
    });
    const canonical = [
      req.method,
      canonicalPath,
      canonicalQuery,
      headerLines.join(''),
      signedList,
      payloadHash,
    ].join('\n');
    const toSign = `AWS4-HMAC-SHA256\n${stamp}\n${day}/${region}/s3/aws4_request\n${sha256(canonical)}`;
    const key = mac(mac(mac(mac(`AWS4${options.secretAccessKey}`, day!), region), 's3'), 'aws4_request');
    const expected = createHmac('sha256', key).update(toSign).digest('hex');
    if (expected !== signature)
      return {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      };
    return null;
  };

  const listXml = (prefix: string, maxKeys: number, after: string | null) => {
    const keys = [...objects.keys()]
      .filter((k) => k.startsWith(prefix) && (after === null || k > after))
      .sort();
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page
      .map((key) => {
        const o = objects.get(key)!;
        return `<Contents><Key>${esc(key)}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>${esc(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated
      ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64')}</NextContinuationToken>`
      : '';
    return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${options.bucket}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${contents}</ListBucketResult>`;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const rawQuery = (req.url ?? '').includes('?')
      ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1)
      : '';
    const query = Object.fromEntries(url.searchParams);
    const host = String(req.headers.host ?? '');
    const virtual = host.startsWith(`${options.bucket}.`);
    const segments = rawPath.split('/').slice(1).map(decodeURIComponent);
    const bucket = virtual ? options.bucket : (segments.shift() ?? '');
    const key = segments.join('/');
    const record: ReceivedRequest = {
      method: req.method ?? '',
      path: rawPath,
      query,
      style: virtual ? 'virtual-host' : 'path',
      status: 0,
    };
    requests.push(record);
    const send = (status: number, payload: string | Buffer = '', headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'x-amz-request-id': randomUUID(), ...headers });
      res.end(req.method === 'HEAD' ? undefined : payload);
    };
    const fail = (status: number, code: string, message: string) =>
      send(status, xmlError(code, message, rawPath), { 'content-type': 'application/xml' });

    const fault = faults.shift();
    if (fault === 'hang') {
      hanging.add(res);
      return;
    }
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'slow-down') return fail(503, 'SlowDown', 'Please reduce your request rate.');
    if (fault === 'internal-error')
      return fail(500, 'InternalError', 'We encountered an internal error. Please try again.');

    const denied = checkSignature(req, rawPath, rawQuery, body);
    if (denied) return fail(denied.status, denied.code, denied.message);
    if (bucket !== options.bucket) return fail(404, 'NoSuchBucket', 'The specified bucket does not exist');

    if (key === '') {
      if (req.method === 'GET' && query['list-type'] === '2') {
        const asked = Number(query['max-keys'] ?? 1000);
        const maxKeys = Math.min(asked, options.pageSize ?? 1000);
        const token = query['continuation-token'];
        const after = token ? Buffer.from(token, 'base64').toString('utf8') : null;
        return send(200, listXml(query.prefix ?? '', maxKeys, after), { 'content-type': 'application/xml' });
      }
      return fail(405, 'MethodNotAllowed', 'Not supported by this test server');
    }

    const uploadId = query.uploadId;
    switch (req.method) {
      case 'PUT': {
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        if (uploadId !== undefined) {
          const upload = uploads.get(uploadId);
          if (!upload || upload.key !== key)
            return fail(404, 'NoSuchUpload', 'The specified upload does not exist.');
          upload.parts.set(Number(query.partNumber), { body, etag });
          return send(200, '', { etag });
        }
        objects.set(key, { body, etag, modified: new Date() });
        return send(200, '', { etag });
      }
      case 'POST': {
        if ('uploads' in query) {
          const id = randomUUID();
          uploads.set(id, { key, parts: new Map() });
          return send(
            200,
            `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult><Bucket>${options.bucket}</Bucket><Key>${esc(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
            { 'content-type': 'application/xml' },
          );
        }
        const upload = uploadId === undefined ? undefined : uploads.get(uploadId);
        if (!upload || upload.key !== key)
          return fail(404, 'NoSuchUpload', 'The specified upload does not exist.');
        const listed = [
          ...body
            .toString('utf8')
            .matchAll(/<Part><PartNumber>(\d+)<\/PartNumber><ETag>([^<]*)<\/ETag><\/Part>/g),
        ].map((m) => ({ n: Number(m[1]), etag: m[2]!.replace(/&quot;/g, '"') }));
        if (listed.length === 0) return fail(400, 'MalformedXML', 'No parts listed');
        const pieces: Buffer[] = [];
        for (const [i, part] of listed.entries()) {
          const stored = upload.parts.get(part.n);
          if (part.n !== i + 1 || !stored || stored.etag !== part.etag)
            return fail(400, 'InvalidPart', 'One or more of the specified parts could not be found.');
          if (i < listed.length - 1 && stored.body.length < MIN_PART)
            return fail(
              400,
              'EntityTooSmall',
              'Your proposed upload is smaller than the minimum allowed object size.',
            );
          pieces.push(stored.body);
        }
        uploads.delete(uploadId!);
        const joined = Buffer.concat(pieces);
        const etag = `"${createHash('md5').update(joined).digest('hex')}-${listed.length}"`;
        objects.set(key, { body: joined, etag, modified: new Date() });
        return send(
          200,
          `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult><Key>${esc(key)}</Key><ETag>${esc(etag)}</ETag></CompleteMultipartUploadResult>`,
          { 'content-type': 'application/xml' },
        );
      }
      case 'DELETE': {
        if (uploadId !== undefined) {
          if (!uploads.delete(uploadId))
            return fail(404, 'NoSuchUpload', 'The specified upload does not exist.');
          return send(204);
        }
        objects.delete(key);
        return send(204);
      }
      case 'GET':
      case 'HEAD': {
        const found = objects.get(key);
        if (!found) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
        return send(200, found.body, {
          'content-type': 'application/octet-stream',
          'content-length': String(found.body.length),
          etag: found.etag,
          'last-modified': found.modified.toUTCString(),
        });
      }
      default:
        return fail(405, 'MethodNotAllowed', 'Not supported by this test server');
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    objects,
    openUploads: () => uploads.size,
    requests,
    faults,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
