// Free port picking for SIP peers: baresip's `sip_listen P` takes UDP P, TCP P and TCP P+1, and each
// instance needs its own RTP range, so bind-to-0 is not enough; we probe random blocks below the
// kernel's ephemeral range (other sessions on this machine run SIP peers too) and callers retry a start
// that still lost a race.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    sock.once('error', () => {
      sock.close();
      resolve(false);
    });
    sock.bind({ port, address: '127.0.0.1', exclusive: true }, () => sock.close(() => resolve(true)));
  });
}

export interface PortBlock {
  /** SIP port: UDP and TCP `sip`, TCP `sip + 1` free. */
  sip: number;
  /** RTP/RTCP range [rtpLow, rtpHigh], all UDP free. */
  rtpLow: number;
  rtpHigh: number;
}

const LOW = 20_000;
const HIGH = 32_000;

/** A block of `1 + 1 + rtpCount` ports: SIP (UDP+TCP), SIP+1 (TCP) and an RTP range right above. */
export async function freePortBlock(rtpCount = 20): Promise<PortBlock> {
  for (let attempt = 0; attempt < 200; attempt++) {
    // Even SIP base so the RTP range starts even (RTP even, RTCP odd).
    const sip = LOW + 2 * Math.floor((Math.random() * (HIGH - LOW - rtpCount - 4)) / 2);
    const rtpLow = sip + 2;
    const rtpHigh = rtpLow + rtpCount - 1;
    if (!(await udpFree(sip)) || !(await tcpFree(sip)) || !(await tcpFree(sip + 1))) continue;
    let ok = true;
    for (let p = rtpLow; p <= rtpHigh && ok; p++) ok = await udpFree(p);
    if (ok) return { sip, rtpLow, rtpHigh };
  }
  throw new Error('no free SIP/RTP port block found');
}

/** One port free for both UDP and TCP (a registrar or a SIP server listening on both). */
export async function freeSipPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if ((await udpFree(port)) && (await tcpFree(port))) return port;
  }
  throw new Error('no free UDP+TCP port found');
}

/** A TCP port chosen by the kernel (ctrl_tcp, HTTP doubles). */
export async function freeTcpPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}
