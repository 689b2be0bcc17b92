// What an adapter is handed for one call: its inbox's settings with the secrets opened, and the only
// network access it gets — fetch through the SSRF guard (provider hosts must be public unless the
// operator allowed them in ZHIKE_CHANNEL_ALLOW_HOSTS), without redirects, with a timeout and a size cap.
import type { AdapterContext, HttpClient } from '@zhike/channels';
import type { Clock, Inbox, WorkspaceStore } from '@zhike/core';
import { safeFetch } from '@zhike/security';

export interface ChannelHttpOptions {
  allowHosts: readonly string[];
  timeoutMs?: number;
}

/** Provider APIs answer with small JSON or XML; a bigger answer is not read. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

function headersOf(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  new Headers(init).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** The body as bytes, with the content type fetch would have given it (form data, URL parameters). */
async function bodyOf(
  body: RequestInit['body'],
): Promise<{ bytes: string | Buffer; contentType: string | null } | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return { bytes: body, contentType: null };
  if (Buffer.isBuffer(body)) return { bytes: body, contentType: null };
  if (body instanceof Uint8Array) return { bytes: Buffer.from(body), contentType: null };
  if (body instanceof ArrayBuffer) return { bytes: Buffer.from(body), contentType: null };
  const response = new Response(body);
  return {
    bytes: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type'),
  };
}

export function channelHttpClient(options: ChannelHttpOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (url, init) => {
    const headers = headersOf(init.headers);
    const body = await bodyOf(init.body);
    if (body?.contentType && !headers['content-type']) headers['content-type'] = body.contentType;
    const timeout = AbortSignal.timeout(timeoutMs);
    return safeFetch(url, {
      method: init.method ?? 'GET',
      headers,
      ...(body === undefined ? {} : { body: body.bytes }),
      allowHosts: options.allowHosts,
      maxRedirects: 0,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      timeoutMs,
      signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
    });
  };
}

/** The inbox's settings and secrets merged, as the adapter's config type describes them. */
export async function channelConfigOf(store: WorkspaceStore, inbox: Inbox): Promise<Record<string, unknown>> {
  const secrets = await store.inboxes.channelSecrets(inbox.id);
  return { ...(inbox.channelConfig ?? {}), ...secrets };
}

export async function adapterContextFor(
  store: WorkspaceStore,
  inbox: Inbox,
  deps: { clock: Clock; http: HttpClient; resolveRelay?: (hostname: string) => Promise<string> },
): Promise<AdapterContext<Record<string, unknown>>> {
  return {
    config: await channelConfigOf(store, inbox),
    http: deps.http,
    now: () => deps.clock.now(),
    ...(deps.resolveRelay ? { resolveRelay: deps.resolveRelay } : {}),
  };
}
