// Helpers for the RTP tests and the packet-timing bench: a port allocator in a random high range
// (other sessions on the machine use ports too; the allocator skips taken ones) and session pairs.
import { RtpPortAllocator } from './ports.ts';
import { RtpSession, type RtpSessionOptions } from './session.ts';

export function testAllocator(size = 400): RtpPortAllocator {
  const min = 20000 + 2 * Math.floor(Math.random() * 10000);
  return new RtpPortAllocator({ min, max: min + size, host: '127.0.0.1' });
}

export type PairOptions = Partial<Omit<RtpSessionOptions, 'id' | 'lease' | 'media'>>;

/** Two sessions on loopback, each negotiated to the other's port (PCMU 0, telephone-event 101). */
export async function sessionPair(
  allocator: RtpPortAllocator,
  options: PairOptions = {},
): Promise<[RtpSession, RtpSession]> {
  const leaseA = await allocator.allocate();
  const leaseB = await allocator.allocate();
  const media = (port: number) => ({
    remoteAddress: '127.0.0.1',
    remotePort: port,
    codec: 'PCMU' as const,
    payloadType: 0,
    dtmfPayloadType: 101,
  });
  const a = new RtpSession({ ...options, id: `a${leaseA.port}`, lease: leaseA, media: media(leaseB.port) });
  const b = new RtpSession({ ...options, id: `b${leaseB.port}`, lease: leaseB, media: media(leaseA.port) });
  return [a, b];
}
