// RTP port allocation: even ports from a configured range, each bound as a UDP socket (RTCP on port+1
// bound beside it so stray RTCP is absorbed), skipping ports other processes hold; released on close.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';

export interface RtpPortRange {
  /** Lowest port (rounded up to even). */
  min: number;
  /** Highest port of the range (an RTP port needs port+1 ≤ max for RTCP). */
  max: number;
  /** Address to bind: '0.0.0.0', '127.0.0.1', '::'… */
  host: string;
  /**
   * Kernel receive buffer per RTP socket (default 1 MiB, capped by net.core.rmem_max): room to absorb
   * a flood burst while the event loop is busy, so the peer's packets are not the ones the kernel drops.
   */
  receiveBufferBytes?: number;
}

export class RtpPortsExhaustedError extends Error {
  override readonly name = 'RtpPortsExhaustedError';
}

/** A bound RTP/RTCP socket pair held for one call; `release()` closes both and frees the port. */
export interface RtpPortLease {
  readonly port: number;
  readonly host: string;
  readonly rtp: Socket;
  readonly rtcp: Socket;
  release(): void;
}

function bind(socket: Socket, port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = () => {
      socket.off('listening', onListening);
      resolve(false);
    };
    const onListening = () => {
      socket.off('error', onError);
      resolve(true);
    };
    socket.once('error', onError);
    socket.once('listening', onListening);
    socket.bind({ port, address: host, exclusive: true });
  });
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}

export class RtpPortAllocator {
  private readonly min: number;
  private readonly max: number;
  private readonly host: string;
  private readonly receiveBufferBytes: number;
  private readonly inUse = new Set<number>();
  private cursor: number;

  constructor(range: RtpPortRange) {
    const min = range.min + (range.min % 2);
    if (
      !Number.isInteger(range.min) ||
      !Number.isInteger(range.max) ||
      min < 1024 ||
      range.max > 65535 ||
      min + 1 > range.max
    ) {
      throw new RangeError(`bad RTP port range ${range.min}-${range.max}`);
    }
    this.min = min;
    this.max = range.max;
    this.host = range.host;
    this.receiveBufferBytes = range.receiveBufferBytes ?? 1 << 20;
    this.cursor = min;
  }

  /** How many even ports the range holds. */
  get capacity(): number {
    return Math.floor((this.max - 1 - this.min) / 2) + 1;
  }

  get allocated(): number {
    return this.inUse.size;
  }

  /** Binds the next free even port (round robin, so a just-released port is not reused at once). */
  async allocate(): Promise<RtpPortLease> {
    const type = isIPv6(this.host) ? 'udp6' : 'udp4';
    for (let tried = 0; tried < this.capacity; tried++) {
      const port = this.cursor;
      this.cursor = port + 2 > this.max - 1 ? this.min : port + 2;
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      const rtp = createSocket({ type, reuseAddr: false });
      const rtcp = createSocket({ type, reuseAddr: false });
      if ((await bind(rtp, port, this.host)) && (await bind(rtcp, port + 1, this.host))) {
        return this.lease(port, rtp, rtcp);
      }
      // Held by another process on this machine: try the next pair.
      closeQuietly(rtp);
      closeQuietly(rtcp);
      this.inUse.delete(port);
    }
    throw new RtpPortsExhaustedError(`no free RTP port in ${this.min}-${this.max}`);
  }

  private lease(port: number, rtp: Socket, rtcp: Socket): RtpPortLease {
    // Inbound RTCP is read and dropped: we neither need the reports nor want ICMP unreachables sent back.
    rtcp.on('message', () => {});
    rtcp.on('error', () => {});
    try {
      rtp.setRecvBufferSize(this.receiveBufferBytes);
    } catch {
      // The kernel refused the size; its default still works, with less slack under a flood.
    }
    let released = false;
    return {
      port,
      host: this.host,
      rtp,
      rtcp,
      release: () => {
        if (released) return;
        released = true;
        closeQuietly(rtp);
        closeQuietly(rtcp);
        this.inUse.delete(port);
      },
    };
  }
}
