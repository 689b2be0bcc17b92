// The plumbing the fake SMS vendors share: a node:http server on 127.0.0.1:0 that hands each request, with
// its raw body, to the vendor's handler, and the shape of a webhook a vendor would send to us.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InboundHttpRequest } from '@zhike/channels';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface VendorAnswer {
  status: number;
  body: string;
  contentType?: string;
}

/** A webhook exactly as the vendor would POST it to our hook URL. */
export interface VendorWebhook {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface FakeServer {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startVendorServer(
  handle: (request: ReceivedRequest) => VendorAnswer | Promise<VendorAnswer>,
): Promise<FakeServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      let answer: VendorAnswer;
      try {
        answer = await handle({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks),
        });
      } catch (error) {
        answer = { status: 500, body: String(error) };
      }
      // The caller may have gone (killed while the answer was held back): nothing to answer.
      if (res.destroyed) return;
      res.writeHead(answer.status, {
        'content-type': answer.contentType ?? 'application/json;charset=utf-8',
      });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Send a built webhook to our server over real HTTP; returns status and body as the vendor would see. */
export async function deliverWebhook(webhook: VendorWebhook): Promise<{ status: number; body: string }> {
  const response = await fetch(webhook.url, {
    method: webhook.method,
    headers: webhook.headers,
    body: webhook.body,
  });
  return { status: response.status, body: await response.text() };
}

export const requestId = () => crypto.randomUUID().toUpperCase();

/** The webhook as the server hands it to an adapter (for adapter unit tests that skip HTTP). */
export function asInboundRequest(webhook: VendorWebhook): InboundHttpRequest {
  const url = new URL(webhook.url);
  return {
    method: webhook.method,
    url: webhook.url,
    headers: Object.fromEntries(Object.entries(webhook.headers).map(([k, v]) => [k.toLowerCase(), v])),
    query: Object.fromEntries(url.searchParams),
    rawBody: Buffer.from(webhook.body, 'utf8'),
  };
}
