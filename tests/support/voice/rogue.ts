// A misbehaving peer for robustness checks: raw SIP datagrams (malformed on purpose) and an RTP flood
// from one source, bounded in count and time and sent only to loopback addresses.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';

function assertLoopback(host: string) {
  if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== '::1' && host !== 'localhost') {
    throw new Error(`rogue traffic goes to loopback only, not ${host}`);
  }
}

async function boundSocket(): Promise<Socket> {
  const sock = createSocket('udp4');
  sock.bind(0, '127.0.0.1');
  await once(sock, 'listening');
  return sock;
}

/** Malformed SIP requests that a strict parser must refuse without harm (truncated, huge, binary…). */
export function malformedSipMessages(target: string): Buffer[] {
  const base = `INVITE sip:${target} SIP/2.0\r\n`;
  return [
    Buffer.from('\x00\x01\x02garbage\r\n\r\n', 'binary'),
    Buffer.from(`${base}Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\n`), // no blank line, no headers
    Buffer.from(`${base}Content-Length: 99999\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\nv=0`),
    Buffer.from(
      `${base}CSeq: not-a-number INVITE\r\nCall-ID: y\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\n\r\n`,
    ),
    Buffer.from(`${base}${'X-Long: '.concat('a'.repeat(9000))}\r\n\r\n`),
    Buffer.from(`${base}${Array.from({ length: 500 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`),
    Buffer.from('SIP/2.0 200 OK\r\nCSeq: 1 BYE\r\n\r\n'), // a response to nothing
    Buffer.from(`${base}Via: \r\nFrom: \r\nTo: \r\nCall-ID: \r\nCSeq: \r\n\r\n`),
  ];
}

/** Sends each datagram once to host:port over UDP. */
export async function sendSipDatagrams(host: string, port: number, messages: Buffer[]): Promise<void> {
  assertLoopback(host);
  const sock = await boundSocket();
  try {
    for (const m of messages) {
      await new Promise<void>((resolve, reject) =>
        sock.send(m, port, host, (e) => (e ? reject(e) : resolve())),
      );
    }
  } finally {
    sock.close();
  }
}

export interface FloodResult {
  sent: number;
  durationMs: number;
}

/**
 * Sends RTP-shaped packets (PCMU, 160-byte payload, random SSRC) from one source port as fast as the
 * rate allows, for at most `durationMs` and `maxPackets`. Stops by itself.
 */
export async function rtpFlood(opts: {
  host: string;
  port: number;
  packetsPerSecond: number;
  durationMs: number;
  maxPackets?: number;
}): Promise<FloodResult> {
  assertLoopback(opts.host);
  if (opts.durationMs > 30_000 || opts.packetsPerSecond > 50_000) throw new Error('flood bounds too large');
  const max = opts.maxPackets ?? Math.ceil((opts.packetsPerSecond * opts.durationMs) / 1000);
  const sock = await boundSocket();
  const packet = Buffer.alloc(12 + 160, 0xff);
  packet[0] = 0x80;
  packet[1] = 0; // PCMU
  packet.writeUInt32BE((Math.random() * 0xffffffff) >>> 0, 8);
  const start = Date.now();
  let sent = 0;
  try {
    while (sent < max && Date.now() - start < opts.durationMs) {
      // Send in 5 ms bursts so the rate holds without a timer per packet.
      const due = Math.min(max, Math.ceil(((Date.now() - start + 5) * opts.packetsPerSecond) / 1000));
      while (sent < due) {
        packet.writeUInt16BE(sent & 0xffff, 2);
        packet.writeUInt32BE((sent * 160) >>> 0, 4);
        sock.send(packet, opts.port, opts.host);
        sent++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    sock.close();
  }
  return { sent, durationMs: Date.now() - start };
}
