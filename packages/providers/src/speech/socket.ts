// WebSocket sessions for the streaming speech protocols (Tencent real-time ASR, Aliyun NLS): one socket per
// utterance, an overall deadline, abort, and every way the socket can end mapped to one settled result.
import WebSocket from 'ws';
import { SpeechProviderError } from './errors.ts';

/** How adapters open sockets; the server passes one that applies its outbound-address policy. */
export type WebSocketFactory = (url: string, options: { headers: Record<string, string> }) => WebSocket;

export const defaultWebSocketFactory: WebSocketFactory = (url, options) =>
  new WebSocket(url, { headers: options.headers, handshakeTimeout: 10_000, maxPayload: 1024 * 1024 });

export interface SocketSessionControl<T> {
  socket: WebSocket;
  resolve(value: T): void;
  reject(error: SpeechProviderError): void;
  /** True once the session settled; loops sending audio stop on it. */
  readonly settled: boolean;
}

export interface SocketSession<T> {
  provider: string;
  factory: WebSocketFactory;
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  onOpen(control: SocketSessionControl<T>): void;
  /** Text frames only: these protocols send JSON events as text. */
  onText(text: string, control: SocketSessionControl<T>): void;
}

export function runSocketSession<T>(session: SocketSession<T>): Promise<T> {
  const { provider } = session;
  return new Promise<T>((resolvePromise, rejectPromise) => {
    if (session.signal?.aborted) {
      rejectPromise(new SpeechProviderError(provider, 'aborted', 'recognition aborted'));
      return;
    }
    let socket: WebSocket;
    try {
      socket = session.factory(session.url, { headers: session.headers ?? {} });
    } catch (error) {
      rejectPromise(
        new SpeechProviderError(provider, 'network', `cannot connect: ${(error as Error).message}`, {
          cause: error,
        }),
      );
      return;
    }
    let settled = false;
    const finish = () => {
      settled = true;
      clearTimeout(timer);
      session.signal?.removeEventListener('abort', onAbort);
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
      else if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    };
    const control: SocketSessionControl<T> = {
      socket,
      resolve(value) {
        if (settled) return;
        finish();
        resolvePromise(value);
      },
      reject(error) {
        if (settled) return;
        finish();
        rejectPromise(error);
      },
      get settled() {
        return settled;
      },
    };
    const timer = setTimeout(
      () =>
        control.reject(
          new SpeechProviderError(provider, 'timeout', `no result within ${session.timeoutMs} ms`),
        ),
      session.timeoutMs,
    );
    const onAbort = () => control.reject(new SpeechProviderError(provider, 'aborted', 'recognition aborted'));
    session.signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('open', () => {
      if (!settled) session.onOpen(control);
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (settled || isBinary) return;
      try {
        session.onText(data.toString('utf8'), control);
      } catch (error) {
        control.reject(
          error instanceof SpeechProviderError
            ? error
            : new SpeechProviderError(
                provider,
                'bad_response',
                `unreadable event: ${(error as Error).message}`,
              ),
        );
      }
    });
    socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').slice(0, 300);
        const code = status === 401 || status === 403 ? 'auth' : 'http';
        control.reject(
          new SpeechProviderError(provider, code, `handshake refused with HTTP ${status}: ${body}`, {
            status,
            body,
          }),
        );
      });
    });
    socket.on('error', (error) => {
      control.reject(
        new SpeechProviderError(provider, 'network', `connection failed: ${error.message}`, { cause: error }),
      );
    });
    socket.on('close', (code, reason) => {
      control.reject(
        new SpeechProviderError(
          provider,
          'provider',
          `connection closed before the result (${code} ${reason.toString()})`,
        ),
      );
    });
  });
}

/** Sends PCM in chunks of `chunkMs`, at most `speedup` times faster than real time, until done or settled. */
export async function sendPaced(
  control: SocketSessionControl<unknown>,
  pcm: Buffer,
  bytesPerMs: number,
  chunkMs: number,
  speedup: number,
): Promise<void> {
  const chunkBytes = Math.max(2, Math.floor((bytesPerMs * chunkMs) / 2) * 2);
  const intervalMs = chunkMs / speedup;
  const started = Date.now();
  for (let offset = 0, index = 0; offset < pcm.length; offset += chunkBytes, index++) {
    if (control.settled) return;
    const due = started + index * intervalMs;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (control.settled) return;
    control.socket.send(pcm.subarray(offset, offset + chunkBytes));
  }
}
