import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { RtpPortAllocator } from '../rtp/ports.ts';
import { rtpMediaFactory } from './rtpMedia.ts';

async function freeRange(): Promise<{ min: number; max: number }> {
  // A port the kernel hands out, rounded to even, with the next three ports tried by the allocator.
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  const min = port - (port % 2);
  return { min, max: min + 7 };
}

describe('rtpMediaFactory', () => {
  it('holds a port before the SDP, starts a session on it and frees it on release', async () => {
    const range = await freeRange();
    const allocator = new RtpPortAllocator({ host: '127.0.0.1', ...range });
    const media = rtpMediaFactory(allocator);
    const unused = await media.reserve();
    expect(allocator.allocated).toBe(1);
    unused.release();
    expect(allocator.allocated).toBe(0);

    const reservation = await media.reserve();
    const leg = reservation.start({
      remoteAddress: '127.0.0.1',
      remotePort: 9,
      codec: 'PCMU',
      payloadType: 0,
      dtmfPayloadType: 101,
      ptime: 20,
      direction: 'sendrecv',
    });
    expect(leg.codec).toBe('PCMU');
    reservation.update({
      remoteAddress: '127.0.0.1',
      remotePort: 11,
      codec: 'PCMA',
      payloadType: 8,
      dtmfPayloadType: null,
      ptime: 20,
      direction: 'sendonly',
    });
    expect(leg.codec).toBe('PCMA');
    reservation.release();
    await leg.closed;
    expect(allocator.allocated).toBe(0);
  });
});
