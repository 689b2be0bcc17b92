// SIP over UDP and TCP on one address and port (RFC 3261 §18): framing, NAT-friendly Via stamping
// (received/rport, RFC 3581), response routing (§18.2.2), connection reuse, and per-source protection so
// a flood or garbage from one peer is dropped cheaply while every other peer is served.
//
// API:
//   const transport = await SipTransport.listen({ host: '127.0.0.1', port: 0 });
//   transport.onMessage((message, source) => …)   // requests arrive with received/rport already stamped
//   await transport.send(request, { transport: 'UDP', host, port })
//   await transport.sendResponse(response, source)  // same connection over TCP, Via rules over UDP
//   await transport.close()

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv4, isIPv6, type Server, Socket } from 'node:net';
import type { Unsubscribe } from '../types.ts';
import { SipParseError } from './errors.ts';
import { SipStreamFramer } from './framing.ts';
import { splitOutside } from './grammar.ts';
import {
  formatVia,
  getHeaderValues,
  getTopVia,
  parseCSeq,
  parseVia,
  type SipHeader,
  type Via,
} from './headers.ts';
import {
  DEFAULT_SIP_LIMITS,
  parseMessage,
  type SipLimits,
  type SipMessage,
  serializeMessage,
} from './message.ts';
import { DEFAULT_SOURCE_GUARD, SourceGuard, type SourceGuardOptions } from './sourceGuard.ts';
import { parseNameAddr } from './uri.ts';

export type SipTransportName = 'UDP' | 'TCP';

/** A peer address on one transport: where a message came from or goes to. */
export interface SipPeer {
  transport: SipTransportName;
  host: string;
  port: number;
}

export interface SipTransportOptions {
  /** IP address to listen on (UDP and TCP). */
  host: string;
  /** Port for both UDP and TCP; 0 or absent picks a free one. */
  port?: number;
  limits?: Partial<SipLimits>;
  guard?: Partial<SourceGuardOptions>;
  /** A TCP connection with no traffic for this long is closed. */
  tcpIdleTimeoutMs?: number;
  maxTcpConnections?: number;
  maxTcpConnectionsPerSource?: number;
  connectTimeoutMs?: number;
  /** A peer that does not read what we write is dropped past this many queued bytes. */
  maxTcpWriteBuffer?: number;
  /** Listener failures and socket errors (logged by the composition root). */
  onError?: (error: unknown) => void;
}

export interface SipTransportStats {
  received: number;
  malformed: number;
  rateLimited: number;
  badRequestsAnswered: number;
  tcpConnections: number;
  tcpConnectionsRefused: number;
}

interface Connection {
  socket: Socket;
  framer: SipStreamFramer;
  ip: string;
  keys: string[];
  heldBytes: number;
  inbound: boolean;
}

const DEFAULTS = {
  tcpIdleTimeoutMs: 120_000,
  maxTcpConnections: 1024,
  maxTcpConnectionsPerSource: 32,
  connectTimeoutMs: 5_000,
  maxTcpWriteBuffer: 1024 * 1024,
};

/** '::ffff:1.2.3.4' (an IPv4 peer on a dual-stack socket) reads as '1.2.3.4'. */
export function normalizeIp(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address.toLowerCase();
}

/** Where a response to a request from `source` with top Via `via` goes (§18.2.2, RFC 3581 §4). */
export function responseTarget(via: Via, source: SipPeer): SipPeer {
  const host = via.params.received ?? via.host;
  const rport = via.params.rport;
  const port = rport !== undefined && rport !== null ? Number(rport) : (via.port ?? 5060);
  return { transport: source.transport, host, port: source.transport === 'UDP' ? port : (via.port ?? 5060) };
}

export class SipTransport {
  private readonly listeners = new Set<(message: SipMessage, source: SipPeer) => void>();
  private readonly connections = new Map<string, Connection>();
  private readonly connecting = new Map<string, Promise<Connection>>();
  private readonly perSource = new Map<string, number>();
  private readonly guard: SourceGuard;
  private readonly limits: SipLimits;
  private readonly settings: typeof DEFAULTS;
  private readonly counters: SipTransportStats = {
    received: 0,
    malformed: 0,
    rateLimited: 0,
    badRequestsAnswered: 0,
    tcpConnections: 0,
    tcpConnectionsRefused: 0,
  };
  private closed = false;

  private constructor(
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
    readonly host: string,
    readonly port: number,
    private readonly options: SipTransportOptions,
  ) {
    this.guard = new SourceGuard({ ...DEFAULT_SOURCE_GUARD, ...options.guard });
    this.limits = { ...DEFAULT_SIP_LIMITS, ...options.limits };
    this.settings = { ...DEFAULTS, ...definedOnly(options) };
    udp.on('message', (bytes, rinfo) => this.onDatagram(bytes, normalizeIp(rinfo.address), rinfo.port));
    udp.on('error', (error) => this.options.onError?.(error));
    tcp.on('connection', (socket) => this.onInboundConnection(socket));
    tcp.on('error', (error) => this.options.onError?.(error));
  }

  static async listen(options: SipTransportOptions): Promise<SipTransport> {
    if (!isIPv4(options.host) && !isIPv6(options.host)) {
      throw new Error(`SIP listen address must be an IP address, got "${options.host}"`);
    }
    const wanted = options.port ?? 0;
    // UDP picks the free port; TCP must get the same one, so retry when it is taken on TCP.
    for (let attempt = 0; ; attempt++) {
      const udp = createSocket({
        type: isIPv6(options.host) ? 'udp6' : 'udp4',
        recvBufferSize: 4 * 1024 * 1024,
      });
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(wanted, options.host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      const port = udp.address().port;
      const tcp = createServer({ noDelay: true });
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen({ port, host: options.host, exclusive: true }, () => {
            tcp.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        udp.close();
        if (wanted !== 0 || attempt >= 20) throw error;
        continue;
      }
      tcp.maxConnections = options.maxTcpConnections ?? DEFAULTS.maxTcpConnections;
      return new SipTransport(udp, tcp, options.host, port, options);
    }
  }

  onMessage(listener: (message: SipMessage, source: SipPeer) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): SipTransportStats {
    return { ...this.counters, tcpConnections: new Set(this.connections.values()).size };
  }

  /** Sends to `target`; over TCP an open connection to it (either direction) is reused. */
  async send(message: SipMessage, target: SipPeer): Promise<void> {
    if (this.closed) throw new Error('SIP transport is closed');
    const bytes = serializeMessage(message);
    if (target.transport === 'UDP') {
      await new Promise<void>((resolve, reject) => {
        this.udp.send(bytes, target.port, target.host, (error) => (error ? reject(error) : resolve()));
      });
      return;
    }
    const connection = await this.connection(target);
    await this.write(connection, bytes);
  }

  /** Sends a response back to the request's `source` (§18.2.2): its connection if still open, else Via. */
  async sendResponse(response: SipMessage, source: SipPeer): Promise<void> {
    if (source.transport === 'TCP') {
      const open = this.connections.get(peerKey(source.host, source.port));
      if (open && !open.socket.destroyed) {
        await this.write(open, serializeMessage(response));
        return;
      }
    }
    await this.send(response, responseTarget(getTopVia(response), source));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.connections.values()) connection.socket.destroy();
    this.connections.clear();
    await Promise.all([
      new Promise<void>((resolve) => this.udp.close(() => resolve())),
      new Promise<void>((resolve) => this.tcp.close(() => resolve())),
    ]);
  }

  // ---------------------------------------------------------------------------------------------
  // Receiving

  private onDatagram(bytes: Buffer, ip: string, port: number): void {
    // The bucket is taken before parsing, so a flood costs a map lookup per datagram, not a parse.
    if (!this.guard.admit(ip)) {
      this.counters.rateLimited++;
      return;
    }
    // CRLF keep-alives (RFC 5626 §4.4) carry no message.
    if (bytes.every((b) => b === 13 || b === 10)) return;
    this.handle(bytes, { transport: 'UDP', host: ip, port }, false);
  }

  private handle(bytes: Buffer, source: SipPeer, stream: boolean): void {
    let message: SipMessage;
    try {
      message = parseMessage(bytes, { stream, limits: this.limits });
      if (message.kind === 'request') stampVia(message, source);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      this.counters.malformed++;
      this.answerBadRequest(error, source);
      return;
    }
    this.counters.received++;
    for (const listener of this.listeners) {
      try {
        listener(message, source);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }

  /** A 400 for a request we could not parse, when its start line and Via can still route an answer. */
  private answerBadRequest(error: SipParseError, source: SipPeer): void {
    const partial = error.partial;
    if (!partial || partial.method === 'ACK') return;
    // Only the copied headers that are themselves well-formed: the peer must be able to read the 400.
    const copied: SipHeader[] = partial.headers.filter((h) => COPY_INTO_400[h.name]?.(h.value) ?? false);
    const response: SipMessage = {
      kind: 'response',
      status: 400,
      reason: 'Bad Request',
      headers: [...copied, { name: 'Warning', value: `399 zhike "${error.reason}"` }],
      body: Buffer.alloc(0),
    };
    let target: SipPeer;
    try {
      const via = parseVia(getHeaderValues(response, 'Via')[0] ?? '');
      target = source.transport === 'TCP' ? source : responseTarget(stampedVia(via, source), source);
      serializeMessage(response);
    } catch {
      return;
    }
    this.counters.badRequestsAnswered++;
    const send =
      source.transport === 'TCP' ? this.sendResponse(response, source) : this.send(response, target);
    send.catch((e: unknown) => this.options.onError?.(e));
  }

  private onInboundConnection(socket: Socket): void {
    const ip = normalizeIp(socket.remoteAddress ?? '');
    const count = this.perSource.get(ip) ?? 0;
    if (this.closed || ip === '' || count >= this.settings.maxTcpConnectionsPerSource) {
      this.counters.tcpConnectionsRefused++;
      socket.destroy();
      return;
    }
    this.adopt(socket, ip, [peerKey(ip, socket.remotePort ?? 0)], true);
  }

  private adopt(socket: Socket, ip: string, keys: string[], inbound: boolean): Connection {
    const connection: Connection = {
      socket,
      framer: new SipStreamFramer(this.limits),
      ip,
      keys,
      heldBytes: 0,
      inbound,
    };
    for (const key of keys) this.connections.set(key, connection);
    if (inbound) this.perSource.set(ip, (this.perSource.get(ip) ?? 0) + 1);
    socket.setNoDelay(true);
    socket.setTimeout(this.settings.tcpIdleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => this.onStreamData(connection, chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.forget(connection));
    return connection;
  }

  private onStreamData(connection: Connection, chunk: Buffer): void {
    const source: SipPeer = {
      transport: 'TCP',
      host: connection.ip,
      port: connection.socket.remotePort ?? 0,
    };
    let items: ReturnType<SipStreamFramer['push']>;
    try {
      items = connection.framer.push(chunk);
    } catch (error) {
      // The stream can no longer be cut into messages: nothing later on it can be trusted.
      this.counters.malformed++;
      if (!(error instanceof SipParseError)) this.options.onError?.(error);
      connection.socket.destroy();
      return;
    }
    const held = connection.framer.buffered;
    if (!this.guard.holdBytes(connection.ip, held - connection.heldBytes)) {
      this.counters.rateLimited++;
      connection.socket.destroy();
      return;
    }
    connection.heldBytes = held;
    for (const item of items) {
      if (connection.socket.destroyed) return;
      if (item.kind === 'ping') {
        connection.socket.write('\r\n');
      } else if (!this.guard.admit(connection.ip)) {
        this.counters.rateLimited++;
      } else {
        this.handle(item.bytes, source, true);
      }
    }
  }

  private forget(connection: Connection): void {
    this.guard.holdBytes(connection.ip, -connection.heldBytes);
    connection.heldBytes = 0;
    for (const key of connection.keys) {
      if (this.connections.get(key) === connection) this.connections.delete(key);
    }
    if (connection.inbound) {
      const left = (this.perSource.get(connection.ip) ?? 1) - 1;
      if (left <= 0) this.perSource.delete(connection.ip);
      else this.perSource.set(connection.ip, left);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending over TCP

  private connection(target: SipPeer): Promise<Connection> {
    const key = peerKey(target.host, target.port);
    const open = this.connections.get(key);
    if (open && !open.socket.destroyed) return Promise.resolve(open);
    const pending = this.connecting.get(key);
    if (pending) return pending;
    const attempt = new Promise<Connection>((resolve, reject) => {
      const socket = new Socket();
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`TCP connect to ${target.host}:${target.port} timed out`));
      }, this.settings.connectTimeoutMs);
      socket.once('error', (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      });
      socket.connect({ host: target.host, port: target.port }, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        if (this.closed) {
          socket.destroy();
          reject(new Error('SIP transport is closed'));
          return;
        }
        const ip = normalizeIp(socket.remoteAddress ?? target.host);
        const keys = [...new Set([key, peerKey(ip, socket.remotePort ?? target.port)])];
        resolve(this.adopt(socket, ip, keys, false));
      });
    }).finally(() => this.connecting.delete(key));
    this.connecting.set(key, attempt);
    return attempt;
  }

  private write(connection: Connection, bytes: Buffer): Promise<void> {
    const socket = connection.socket;
    if (socket.writableLength + bytes.length > this.settings.maxTcpWriteBuffer) {
      socket.destroy();
      return Promise.reject(new Error('TCP peer is not reading; connection dropped'));
    }
    return new Promise<void>((resolve, reject) => {
      socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }
}

const COPY_INTO_400: Record<string, (value: string) => boolean> = {
  Via: (value) => succeeds(() => splitOutside(value, ',', 'bad-via').map(parseVia)),
  From: (value) => succeeds(() => parseNameAddr(value)),
  To: (value) => succeeds(() => parseNameAddr(value)),
  'Call-ID': (value) => /^[\x21-\x7e]+$/.test(value),
  CSeq: (value) => succeeds(() => parseCSeq(value)),
};

function succeeds(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

function peerKey(host: string, port: number): string {
  return `${normalizeIp(host)}|${port}`;
}

function definedOnly(options: SipTransportOptions): Partial<typeof DEFAULTS> {
  const out: Partial<typeof DEFAULTS> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The top Via as the server sees it: received when the sender's address differs, rport filled (RFC 3581). */
function stampedVia(via: Via, source: SipPeer): Via {
  const params = { ...via.params };
  const wantsRport = 'rport' in params;
  if (wantsRport || normalizeIp(via.host) !== source.host) params.received = source.host;
  if (wantsRport && (params.rport === null || params.rport === '')) params.rport = String(source.port);
  return { ...via, params };
}

function stampVia(message: SipMessage, source: SipPeer): void {
  const values = getHeaderValues(message, 'Via');
  const top = stampedVia(parseVia(values[0]!), source);
  const first = message.headers.findIndex((h) => h.name === 'Via');
  const vias: SipHeader[] = [formatVia(top), ...values.slice(1)].map((value) => ({ name: 'Via', value }));
  message.headers = message.headers.filter((h) => h.name !== 'Via');
  message.headers.splice(first, 0, ...vias);
}
