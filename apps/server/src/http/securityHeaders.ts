// Security headers on every HTTP response. The console and the API refuse to be framed; the widget's
// script and API are embedded in shops' pages, so they carry no framing or page policy of their own.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';

const CSP = 'content-security-policy';

/** The widget bundle and its API are loaded cross-origin by shops' pages. */
export function isEmbeddable(path: string): boolean {
  return path === '/widget.js' || path.startsWith('/api/v1/widget/');
}

/** 'self' covers same-origin WebSockets only in CSP3 browsers; the explicit ws(s) origin covers the rest. */
function websocketOrigin(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
}

function policy(directives: Record<string, string>): string {
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

const pageDirectives = (publicUrl: string) => ({
  'default-src': "'self'",
  'script-src': "'self'",
  // antd's CSS-in-JS writes <style> elements and style attributes at run time.
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data:",
  'connect-src': `'self' ${websocketOrigin(publicUrl)}`,
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
});

export function consolePolicy(publicUrl: string): string {
  return policy(pageDirectives(publicUrl));
}

/**
 * The demo storefront: the same policy, plus its inline event handlers allowed by hash (the page stays
 * free of inline <script>, as a shop with a strict CSP would be).
 */
export function demoPolicy(publicUrl: string, html: string): string {
  const hashes = new Set<string>();
  for (const [, handler] of html.matchAll(/\son[a-z]+="([^"]*)"/g)) {
    const text = (handler ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
    hashes.add(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
  }
  const scripts = hashes.size > 0 ? `'self' 'unsafe-hashes' ${[...hashes].join(' ')}` : "'self'";
  return policy({ ...pageDirectives(publicUrl), 'script-src': scripts });
}

export function registerSecurityHeaders(app: FastifyInstance, publicUrl: string): void {
  const https = publicUrl.startsWith('https://');
  // onSend runs for every reply, errors and 404s included; a route may have set a page CSP already.
  app.addHook('onSend', async (request, reply: FastifyReply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (!isEmbeddable(request.url.split('?')[0] ?? '/')) {
      reply.header('x-frame-options', 'DENY');
      if (!reply.hasHeader(CSP)) reply.header(CSP, "frame-ancestors 'none'");
    }
    return payload;
  });
}
