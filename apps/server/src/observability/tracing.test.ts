// Tracing through the real app against a local collector speaking OTLP/HTTP (JSON on POST /v1/traces):
// a request continues the caller's W3C traceparent, the NLU work it does nests under it, and a job run
// is a trace of its own with the bot's turn inside. The traceparent reader is checked on its edge cases.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../testing.ts';
import { formatTraceparent, parseTraceparent } from './tracing.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status: { code?: number; message?: string };
}

interface Export {
  path: string;
  contentType: string;
  authorization: string;
  body: {
    resourceSpans: {
      resource: { attributes: { key: string; value: Record<string, unknown> }[] };
      scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
    }[];
  };
}

/** A collector: records each export and answers as OTLP/HTTP does (200 with an empty JSON response). */
async function startCollector(): Promise<{ url: string; exports: Export[]; close(): Promise<void> }> {
  const exports: Export[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      exports.push({
        path: `${req.method} ${req.url}`,
        contentType: req.headers['content-type'] ?? '',
        authorization: req.headers.authorization ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Export['body'],
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

describe('W3C traceparent', () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const spanId = '00f067aa0ba902b7';
  it('reads a valid header and writes one back', () => {
    expect(parseTraceparent(`00-${traceId}-${spanId}-01`)).toEqual({ traceId, spanId, sampled: true });
    expect(parseTraceparent(`00-${traceId}-${spanId}-00`)).toEqual({ traceId, spanId, sampled: false });
    expect(parseTraceparent(` 00-${traceId.toUpperCase()}-${spanId}-01 `)).toMatchObject({ traceId });
    // A later version may carry more fields; we read the four we know.
    expect(parseTraceparent(`01-${traceId}-${spanId}-01-extra`)).toMatchObject({ traceId, spanId });
    expect(formatTraceparent({ traceId, spanId, sampled: true })).toBe(`00-${traceId}-${spanId}-01`);
  });
  it('ignores an invalid one (the request starts its own trace)', () => {
    for (const bad of [
      undefined,
      '',
      `ff-${traceId}-${spanId}-01`,
      `00-${traceId}-${spanId}-01-extra`,
      `00-${'0'.repeat(32)}-${spanId}-01`,
      `00-${traceId}-${'0'.repeat(16)}-01`,
      `00-${traceId.slice(1)}-${spanId}-01`,
      `00-${traceId}-${spanId}-1`,
      `00_${traceId}_${spanId}_01`,
    ])
      expect(parseTraceparent(bad), String(bad)).toBeNull();
  });
});

describe('OpenTelemetry export', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let t: TestApp;
  let owner: TestSession;
  const spans = () =>
    collector.exports.flatMap((e) =>
      e.body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );

  beforeAll(async () => {
    collector = await startCollector();
    t = await createTestApp('sqlite', {
      startWorker: false,
      env: {
        // A trailing slash, as people write it: the traces path is still appended once.
        OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`,
        OTEL_SERVICE_NAME: 'zhike-test',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20collector-key',
      },
    });
    owner = await t.login();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await collector?.close();
  });

  it('continues the caller’s traceparent on a request, with the NLU work it did inside', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const parentId = 'b7ad6b7169203331';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/knowledge/try',
      headers: { ...owner.headers, traceparent: `00-${traceId}-${parentId}-01` },
      payload: { text: '你们几点关门' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await t.app.zhike.observability.tracer?.flush();

    const request = spans().find((s) => s.traceId === traceId && s.parentSpanId === parentId);
    expect(request).toMatchObject({ name: 'POST /api/v1/knowledge/try', kind: 2, status: {} });
    expect(attribute(request!, 'http.route')).toBe('/api/v1/knowledge/try');
    expect(attribute(request!, 'http.response.status_code')).toBe('200');
    expect(BigInt(request!.endTimeUnixNano)).toBeGreaterThan(BigInt(request!.startTimeUnixNano));
    // Wall-clock nanoseconds, not a monotonic counter's.
    expect(Number(BigInt(request!.startTimeUnixNano) / 1_000_000n)).toBeGreaterThan(Date.now() - 120_000);
    // The bot was compiled for this request (its body parsed off the socket first): a child of it.
    const compile = spans().find((s) => s.name === 'nlu compile');
    expect(compile).toMatchObject({ traceId, parentSpanId: request!.spanId, kind: 1 });

    const exported = collector.exports[0]!;
    expect(exported.path).toBe('POST /v1/traces');
    expect(exported.contentType).toBe('application/json');
    expect(exported.authorization).toBe('Bearer collector-key');
    const resource = exported.body.resourceSpans[0]!.resource.attributes;
    expect(resource.find((a) => a.key === 'service.name')?.value).toEqual({ stringValue: 'zhike-test' });
  });

  it('starts a trace of its own on an invalid traceparent, and follows a caller that does not sample', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { traceparent: 'garbage' } });
    expect(res.statusCode).toBe(200);
    const unsampled = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const quiet = await t.app.inject({
      url: '/readyz',
      headers: { traceparent: `00-${unsampled}-bbbbbbbbbbbbbbbb-00` },
    });
    expect(quiet.statusCode).toBe(200);
    await t.app.zhike.observability.tracer?.flush();
    expect(spans().filter((s) => s.traceId === unsampled || s.name === 'GET /readyz')).toEqual([]);
    const health = spans().filter((s) => s.name === 'GET /healthz');
    expect(health).toHaveLength(1);
    expect(health[0]!.parentSpanId).toBeUndefined();
    expect(health[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(health[0]!.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('traces a job run with the bot’s turn inside it', async () => {
    const key = await t.apiKey();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'traced-1' }, text: '你们几点关门', messageId: 'traced-m-1' },
    });
    expect(res.statusCode, res.body).toBe(200);
    for (let round = 0; round < 20 && (await t.app.zhike.worker.runDue()) > 0; round++);
    await t.app.zhike.observability.tracer?.flush();

    const job = spans().find((s) => s.name === 'job bot.reply');
    expect(job).toBeDefined();
    expect(job!.parentSpanId).toBeUndefined();
    expect(attribute(job!, 'zhike.job.name')).toBe('bot.reply');
    expect(attribute(job!, 'zhike.job.outcome')).toBe('done');
    const turn = spans().find((s) => s.name === 'nlu turn');
    expect(turn).toMatchObject({ traceId: job!.traceId, parentSpanId: job!.spanId });
    expect(attribute(turn!, 'zhike.nlu.operation')).toBe('turn');
  });
});
