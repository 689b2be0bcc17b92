// Minimal real clients (HTTP + WebSocket) for the console and the widget, as a browser would use them.
import WebSocket from 'ws';

export interface ConsoleSession {
  cookie: string;
  csrfToken: string;
}

export async function login(url: string, email: string, password: string): Promise<ConsoleSession> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

export async function consoleApi<T>(
  url: string,
  s: ConsoleSession,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      cookie: s.cookie,
      'x-csrf-token': s.csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A WebSocket whose frames are queued so a test can wait for the one it expects. */
export class FrameSocket {
  private readonly frames: unknown[] = [];
  private waiters: (() => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string, headers: Record<string, string>): Promise<FrameSocket> {
    const ws = new WebSocket(url, { headers });
    const socket = new FrameSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  async waitFor<T>(match: (frame: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const idx = this.frames.findIndex((f) => match(f as T));
      if (idx >= 0) return this.frames.splice(idx, 1)[0] as T;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching frame in ${timeoutMs} ms; saw ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}
