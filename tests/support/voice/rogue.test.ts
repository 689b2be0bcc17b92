// The rogue peer sends what it says, bounded, and to loopback only.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { malformedSipMessages, rtpFlood, sendSipDatagrams } from './rogue.js';

describe('rogue peer', () => {
  it('delivers malformed SIP datagrams and a bounded RTP flood, loopback only', async () => {
    const sink = createSocket('udp4');
    sink.bind(0, '127.0.0.1');
    await once(sink, 'listening');
    const port = sink.address().port;
    let received = 0;
    sink.on('message', () => {
      received++;
    });
    try {
      const messages = malformedSipMessages(`bot@127.0.0.1:${port}`);
      await sendSipDatagrams('127.0.0.1', port, messages);
      const flood = await rtpFlood({ host: '127.0.0.1', port, packetsPerSecond: 2000, durationMs: 300 });
      expect(flood.sent).toBeGreaterThan(300);
      expect(flood.sent).toBeLessThanOrEqual(600);
      await expect
        .poll(() => received, { timeout: 2000 })
        .toBeGreaterThanOrEqual(messages.length + flood.sent * 0.9);
      await expect(sendSipDatagrams('192.0.2.1', 5060, messages)).rejects.toThrow(/loopback/);
    } finally {
      sink.close();
    }
  });
});
