// Test support: local HTTP/WebSocket servers on free ports that stand in for the speech vendors, and a
// strict multipart reader so tests check the exact bytes an adapter sends. Used only by *.test.ts files.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { type FetchLike, globalFetch } from '../http.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Handler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface LocalServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** The WebSocket server on the same port (upgrade requests), when asked for. */
  wss: WebSocketServer | undefined;
  close(): Promise<void>;
}

export async function startLocalServer(
  handler: Handler,
  options: { webSocket?: boolean } = {},
): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  const wss = options.webSocket ? new WebSocketServer({ server }) : undefined;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    wss,
    close: async () => {
      for (const client of wss?.clients ?? []) client.terminate();
      wss?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The global fetch in the FetchLike shape. */
export const plainFetch: FetchLike = globalFetch;

export interface ParsedPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Reads multipart/form-data strictly: a malformed body throws instead of being half-read. */
export function parseMultipart(body: Buffer, contentType: string | undefined): ParsedPart[] {
  const match = /^multipart\/form-data; boundary=(.+)$/.exec(contentType ?? '');
  if (!match) throw new Error(`not multipart/form-data: ${contentType}`);
  const delimiter = Buffer.from(`--${match[1]}`);
  const parts: ParsedPart[] = [];
  let position = body.indexOf(delimiter);
  if (position !== 0) throw new Error('body does not start with the boundary');
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 4).toString() === '--\r\n') break;
    if (body.subarray(position, position + 2).toString() !== '\r\n') throw new Error('bad boundary line');
    const headEnd = body.indexOf('\r\n\r\n', position);
    if (headEnd < 0) throw new Error('part without header end');
    const head = body.subarray(position + 2, headEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headEnd + 4);
    if (next < 0) throw new Error('part without closing boundary');
    const disposition = /^Content-Disposition: form-data; name="([^"]+)"(?:; filename="([^"]+)")?$/m.exec(
      head,
    );
    if (!disposition) throw new Error(`bad part header: ${head}`);
    const type = /^Content-Type: (.+)$/m.exec(head);
    parts.push({
      name: disposition[1]!,
      ...(disposition[2] ? { filename: disposition[2] } : {}),
      ...(type ? { contentType: type[1]! } : {}),
      data: body.subarray(headEnd + 4, next),
    });
    position = next + 2;
  }
  return parts;
}
