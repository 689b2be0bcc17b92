// Client for baresip's ctrl_tcp module: netstring-framed JSON (`<len>:<json>,`) both ways. Commands get
// a response matched by token; events (CALL_ESTABLISHED, CALL_CLOSED, REGISTER_OK…) go to listeners and
// are kept so a test can wait for one that already arrived.
import { connect, type Socket } from 'node:net';

export interface CtrlResponse {
  ok: boolean;
  data: string;
}

/** A baresip event as ctrl_tcp sends it (`type` is e.g. 'CALL_ESTABLISHED'). */
export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: string;
  peeruri?: string;
  id?: string;
  param?: string;
  [key: string]: unknown;
}

/** Splits a byte stream into netstring payloads; throws on a malformed frame. */
export class NetstringDecoder {
  private buf = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) {
        if (this.buf.length > 10) throw new Error('netstring length prefix too long');
        return out;
      }
      const lenText = this.buf.toString('ascii', 0, colon);
      if (!/^\d{1,9}$/.test(lenText)) throw new Error(`bad netstring length '${lenText.slice(0, 20)}'`);
      const len = Number(lenText);
      if (this.buf.length < colon + 1 + len + 1) return out;
      if (this.buf[colon + 1 + len] !== 0x2c) throw new Error('netstring not terminated by a comma');
      out.push(this.buf.subarray(colon + 1, colon + 1 + len));
      this.buf = this.buf.subarray(colon + 2 + len);
    }
  }
}

export function encodeNetstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`, 'ascii'), body, Buffer.from(',', 'ascii')]);
}

export class CtrlTcpClient {
  private readonly decoder = new NetstringDecoder();
  private readonly pending = new Map<
    string,
    { resolve: (r: CtrlResponse) => void; reject: (e: Error) => void }
  >();
  private readonly listeners = new Set<(e: BaresipEvent) => void>();
  private readonly seen: BaresipEvent[] = [];
  private nextToken = 1;
  private closedError: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(new Error(`ctrl_tcp connection error: ${e.message}`)));
    socket.on('close', () => this.fail(new Error('ctrl_tcp connection closed')));
  }

  static async connect(port: number, host = '127.0.0.1', timeoutMs = 5000): Promise<CtrlTcpClient> {
    const socket = connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`ctrl_tcp ${host}:${port} did not accept within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    return new CtrlTcpClient(socket);
  }

  /** Sends one command (`dial`, `sndcode`, `hangup`, `reginfo`…) and waits for its response. */
  command(command: string, params = '', timeoutMs = 5000): Promise<CtrlResponse> {
    if (this.closedError) return Promise.reject(this.closedError);
    const token = `t${this.nextToken++}`;
    return new Promise<CtrlResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new Error(`ctrl_tcp '${command} ${params}' got no response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(token, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.socket.write(encodeNetstring(JSON.stringify({ command, params, token })));
    });
  }

  /** Every event received so far, oldest first. */
  events(): readonly BaresipEvent[] {
    return this.seen;
  }

  onEvent(listener: (e: BaresipEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with the first event (already received ones count, from index `since`) that matches;
   * rejects after `timeoutMs` listing the events that did arrive.
   */
  waitFor(
    match: string | ((e: BaresipEvent) => boolean),
    timeoutMs = 10_000,
    since = 0,
  ): Promise<BaresipEvent> {
    const test = typeof match === 'string' ? (e: BaresipEvent) => e.type === match : match;
    const found = this.seen.slice(since).find(test);
    if (found) return Promise.resolve(found);
    return new Promise<BaresipEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        const got = this.seen.map((e) => e.type).join(', ') || 'none';
        reject(
          new Error(
            `baresip event ${typeof match === 'string' ? match : '(predicate)'} not seen in ${timeoutMs} ms; got: ${got}`,
          ),
        );
      }, timeoutMs);
      const off = this.onEvent((e) => {
        if (!test(e)) return;
        clearTimeout(timer);
        off();
        resolve(e);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer) {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.fail(e as Error);
      this.socket.destroy();
      return;
    }
    for (const frame of frames) {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(frame.toString('utf8')) as Record<string, unknown>;
      } catch {
        continue; // baresip never sends non-JSON here; ignore rather than tear down the test's control
      }
      if (msg.response === true && typeof msg.token === 'string') {
        const waiter = this.pending.get(msg.token);
        this.pending.delete(msg.token);
        waiter?.resolve({ ok: msg.ok === true, data: typeof msg.data === 'string' ? msg.data : '' });
      } else if (msg.event === true && typeof msg.type === 'string') {
        const event = msg as BaresipEvent;
        this.seen.push(event);
        for (const l of [...this.listeners]) l(event);
      }
    }
  }

  private fail(e: Error) {
    if (this.closedError) return;
    this.closedError = e;
    for (const w of this.pending.values()) w.reject(e);
    this.pending.clear();
  }
}
