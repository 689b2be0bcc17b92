// Optional OpenTelemetry tracing: spans for HTTP requests, job runs and NLU work, nested through an
// AsyncLocalStorage of this app's own, continued from an incoming W3C `traceparent`, and exported in
// batches over OTLP/HTTP with the JSON encoding (POST <endpoint>/v1/traces).
//
// Why not the @opentelemetry SDK: we need three kinds of span and one exporter. The SDK brings a dozen
// packages, a global tracer provider (one per process, where tests build several apps side by side) and
// its automatic instrumentation needs ESM loader hooks; the wire format it would produce is small and
// specified (opentelemetry-proto's JSON mapping), so a hundred lines here keep the app self-contained.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';

export type AttributeValue = string | number | boolean;

/** What a child span or an outgoing `traceparent` needs of its parent. */
export interface SpanContext {
  traceId: string;
  spanId: string;
  /** The caller's sampling decision; unsampled spans are propagated but never exported. */
  sampled: boolean;
}

export type SpanKind = 'internal' | 'server';

export interface Span {
  readonly context: SpanContext;
  setAttribute(key: string, value: AttributeValue): void;
  /** Marks the span failed (status ERROR); the message is cut short, as logs do. */
  fail(message?: string): void;
  /** Ends the span and queues it for export; a second call does nothing. */
  end(): void;
}

export interface Tracer {
  /** A new span, child of `parent` when given (null = a new trace), else of the current span. */
  startSpan(
    name: string,
    options?: { kind?: SpanKind; parent?: SpanContext | null; attributes?: Record<string, AttributeValue> },
  ): Span;
  /** Runs `fn` with `span` current: spans started inside it, however deep, are its children. */
  withSpan<T>(span: Span, fn: () => T): T;
  /** A span around `fn`, child of the current one; failed when `fn` throws, ended when it settles. */
  inSpan<T>(
    name: string,
    attributes: Record<string, AttributeValue>,
    fn: (span: Span) => Promise<T>,
  ): Promise<T>;
  /** Sends what has ended so far. */
  flush(): Promise<void>;
  /** Stops the timer and sends the rest. */
  shutdown(): Promise<void>;
}

export interface TracerOptions {
  /** The collector's traces URL (OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces). */
  url: string;
  serviceName: string;
  headers?: Record<string, string>;
  log: Logger;
  /** How often ended spans are sent (default 2 s). */
  flushMs?: number;
  /** Spans per request (default 512). */
  batchSize?: number;
  /** Spans held while the collector is slow or away; more are dropped (default 4096). */
  maxQueue?: number;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[^\s]*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * The parent a request names in its W3C `traceparent` header, or null when it names none or an invalid
 * one (then the request starts a trace of its own, as the Trace Context spec asks).
 */
export function parseTraceparent(header: string | string[] | undefined): SpanContext | null {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (!m) return null;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  // Version ff is invalid; version 00 has exactly four fields (later versions may add more).
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}

interface EndedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, AttributeValue>;
  error: string | null;
}

/** OTLP's AnyValue: 64-bit integers travel as strings in the JSON mapping. */
function anyValue(value: AttributeValue): Record<string, unknown> {
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { stringValue: value };
}

const keyValues = (attributes: Record<string, AttributeValue>) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));

/** OTLP's span kinds and status codes (opentelemetry-proto trace.proto). */
const KIND = { internal: 1, server: 2 } as const;
const STATUS_ERROR = 2;

export function createTracer(options: TracerOptions): Tracer {
  const batchSize = options.batchSize ?? 512;
  const maxQueue = options.maxQueue ?? 4096;
  const current = new AsyncLocalStorage<SpanContext>();
  // Wall-clock nanoseconds from the monotonic clock: precise durations, and no jumps when NTP steps.
  const epochNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  const nowNs = () => epochNs + process.hrtime.bigint();
  const resource = {
    attributes: keyValues({
      'service.name': options.serviceName,
      // Several processes share one service name; the instance tells their spans apart.
      'service.instance.id': randomUUID(),
      'process.pid': process.pid,
      'telemetry.sdk.name': 'zhike',
      'telemetry.sdk.language': 'nodejs',
    }),
  };
  let queue: EndedSpan[] = [];
  let dropped = 0;
  let lastComplaint = 0;
  let sending: Promise<void> = Promise.resolve();
  let closed = false;

  const complain = (detail: Record<string, unknown>, message: string) => {
    // A collector that is down would otherwise write a warning every flush.
    if (Date.now() - lastComplaint < 60_000) return;
    lastComplaint = Date.now();
    options.log.warn(detail, message);
  };

  function body(spans: EndedSpan[]): string {
    return JSON.stringify({
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              scope: { name: 'zhike' },
              spans: spans.map((s) => ({
                traceId: s.traceId,
                spanId: s.spanId,
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name,
                kind: KIND[s.kind],
                startTimeUnixNano: String(s.startNs),
                endTimeUnixNano: String(s.endNs),
                attributes: keyValues(s.attributes),
                status: s.error === null ? {} : { code: STATUS_ERROR, message: s.error },
              })),
            },
          ],
        },
      ],
    });
  }

  async function exportBatch(spans: EndedSpan[]): Promise<void> {
    try {
      const res = await fetch(options.url, {
        method: 'POST',
        headers: { ...options.headers, 'content-type': 'application/json' },
        body: body(spans),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok)
        complain({ status: res.status, spans: spans.length }, 'trace export refused; spans dropped');
    } catch (error) {
      complain({ err: (error as Error).message, spans: spans.length }, 'trace export failed; spans dropped');
    }
  }

  /** Sends everything queued, one batch at a time, after any send already under way. */
  function flush(): Promise<void> {
    sending = sending.then(async () => {
      if (dropped > 0) {
        complain({ dropped }, 'trace queue full; spans dropped');
        dropped = 0;
      }
      while (queue.length > 0) {
        const batch = queue.slice(0, batchSize);
        queue = queue.slice(batch.length);
        await exportBatch(batch);
      }
    });
    return sending;
  }

  const timer = setInterval(() => void flush(), options.flushMs ?? 2_000);
  timer.unref();

  function startSpan(
    name: string,
    spanOptions: {
      kind?: SpanKind;
      parent?: SpanContext | null;
      attributes?: Record<string, AttributeValue>;
    } = {},
  ): Span {
    const parent = spanOptions.parent === undefined ? (current.getStore() ?? null) : spanOptions.parent;
    const context: SpanContext = {
      traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      // Parent-based: follow the caller's decision, sample every trace we start ourselves.
      sampled: parent?.sampled ?? true,
    };
    const attributes: Record<string, AttributeValue> = { ...spanOptions.attributes };
    const startNs = nowNs();
    let error: string | null = null;
    let ended = false;
    return {
      context,
      setAttribute(key, value) {
        attributes[key] = value;
      },
      fail(message = 'failed') {
        error = message.slice(0, 200);
      },
      end() {
        if (ended) return;
        ended = true;
        if (!context.sampled || closed) return;
        if (queue.length >= maxQueue) {
          dropped++;
          return;
        }
        queue.push({
          traceId: context.traceId,
          spanId: context.spanId,
          parentSpanId: parent?.spanId ?? null,
          name,
          kind: spanOptions.kind ?? 'internal',
          startNs,
          endNs: nowNs(),
          attributes,
          error,
        });
        if (queue.length >= batchSize) void flush();
      },
    };
  }

  return {
    startSpan,
    withSpan: (span, fn) => current.run(span.context, fn),
    async inSpan(name, attributes, fn) {
      const span = startSpan(name, { attributes });
      try {
        return await current.run(span.context, () => fn(span));
      } catch (error) {
        span.fail(error instanceof Error ? error.message : String(error));
        throw error;
      } finally {
        span.end();
      }
    },
    flush,
    async shutdown() {
      clearInterval(timer);
      await flush();
      closed = true;
    },
  };
}
