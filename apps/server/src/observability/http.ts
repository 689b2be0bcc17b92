// The HTTP side of observability: every request timed by its route pattern (and traced when tracing is
// on, continuing the caller's `traceparent`), and GET /metrics for Prometheus. /metrics is for the
// operator, not the internet: with ZHIKE_METRICS_TOKEN it wants that bearer token, without one it
// answers only loopback and private addresses. It holds process-wide totals, no workspace's data.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { blockedRange } from '@zhike/security';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { safeEqual } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from '../http/problems.ts';
import { problems } from '../http/schemas.ts';
import type { Span } from './tracing.ts';
import { parseTraceparent } from './tracing.ts';

const MetricsText = Type.String({ description: 'Prometheus text exposition format 0.0.4' });

/** Address ranges a scrape may come from without a token: this host and the private networks. */
const SCRAPER_RANGES = new Set(['loopback', 'private', 'link-local']);

/** Whether an address is loopback or private (also as IPv4 mapped into IPv6, as dual-stack sockets give it). */
export function isPrivateAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain =
    address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  const range = blockedRange(plain);
  return range !== null && SCRAPER_RANGES.has(range);
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Refuses a scrape that may not read /metrics. Behind a trusted proxy (ZHIKE_TRUST_PROXY) every hop of
 * X-Forwarded-For must be private too: a client cannot pass as local by sending the header itself, since
 * the proxy appends the address it saw.
 */
function checkScraper(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): void {
  const token = ctx.config.metricsToken;
  if (token !== null) {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    // Hashed first: the comparison then takes the same time whatever the given token's length.
    if (!given || !safeEqual(digest(given), digest(token))) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new HttpProblem('unauthenticated', 'Send Authorization: Bearer <ZHIKE_METRICS_TOKEN>');
    }
    return;
  }
  const hops = ctx.config.trustProxy ? (request.ips ?? [request.ip]) : [request.socket.remoteAddress];
  if (!hops.every((address) => isPrivateAddress(address)))
    throw new HttpProblem(
      'forbidden',
      'Metrics are served to loopback and private addresses only; set ZHIKE_METRICS_TOKEN to scrape from elsewhere',
    );
}

/** The route's pattern, bounded in number (a raw URL would be a label per customer id). */
const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched';

/** Registers the hooks on the root instance, so they see every route. */
export function registerObservability(app: FastifyInstance, ctx: AppContext): void {
  const { observability } = ctx;
  const tracer = observability.tracer;
  if (tracer) {
    const spans = new WeakMap<FastifyRequest, Span>();
    // Callback hooks: `done` runs inside the span's context, so everything the request does after it
    // (the handler, its queries, the NLU) nests under the request's span.
    app.addHook('onRequest', (request, _reply, done) => {
      const route = routeOf(request);
      const span = tracer.startSpan(`${request.method} ${route}`, {
        kind: 'server',
        parent: parseTraceparent(request.headers.traceparent),
        attributes: { 'http.request.method': request.method, 'http.route': route },
      });
      spans.set(request, span);
      tracer.withSpan(span, done);
    });
    // The body arrives on the socket's own events, outside the context above: enter it again.
    app.addHook('preHandler', (request, _reply, done) => {
      const span = spans.get(request);
      if (span) tracer.withSpan(span, done);
      else done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      const span = spans.get(request);
      if (span) {
        span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) span.fail(`HTTP ${reply.statusCode}`);
        span.end();
      }
      done();
    });
  }
  app.addHook('onResponse', (request, reply, done) => {
    observability.http.observe(
      { method: request.method, route: routeOf(request), status: `${Math.floor(reply.statusCode / 100)}xx` },
      reply.elapsedTime / 1000,
    );
    done();
  });
  app.addHook('onClose', async () => observability.close());
}

/** GET /metrics, registered with the other routes (after the hook that lists them for the tests). */
export const metricsRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/metrics',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['health'],
          summary:
            'Prometheus metrics of this process (bearer ZHIKE_METRICS_TOKEN, or loopback/private addresses without one)',
          response: { 200: MetricsText, ...problems },
        },
      },
      async (request, reply) => {
        checkScraper(ctx, request, reply);
        const text = await ctx.observability.scrape();
        return reply.type(ctx.observability.contentType).header('cache-control', 'no-store').send(text);
      },
    );
  };
