// A WebSocket client that keeps every frame it was ever sent, from the first one on (its listener is in
// place before the upgrade completes), so a test can both wait for frames and scan all of them for leaks.
import WebSocket from 'ws';

export class RecordingSocket {
  readonly frames: string[] = [];
  readonly closed: Promise<number>;

  private constructor(
    readonly who: string,
    readonly ws: WebSocket,
  ) {
    ws.on('message', (raw) => this.frames.push(String(raw)));
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  }

  static open(who: string, url: string, headers: Record<string, string>): Promise<RecordingSocket> {
    const socket = new RecordingSocket(who, new WebSocket(url, { headers }));
    return new Promise((resolve, reject) => {
      socket.ws.once('open', () => resolve(socket));
      socket.ws.once('error', reject);
      socket.ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame (parsed) that matches, waiting up to timeoutMs for it. */
  async waitFor<T>(match: (frame: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      for (const raw of this.frames) {
        const frame = JSON.parse(raw) as T;
        if (match(frame)) return frame;
      }
      if (Date.now() > until)
        throw new Error(`${this.who}: no matching frame in ${timeoutMs} ms; saw ${this.frames.join(' ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.ws.close();
  }
}
