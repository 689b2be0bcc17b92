import { describe, expect, it } from 'vitest';
import { consoleFeedUrl, parseFrame } from './consoleSocket.ts';

describe('console feed frames', () => {
  it('accepts the frame types of the contract', () => {
    expect(parseFrame('{"type":"ready","userId":"u1"}')).toEqual({ type: 'ready', userId: 'u1' });
    expect(parseFrame('{"type":"pong"}')).toEqual({ type: 'pong' });
    // The queue frames reach the offer cards, the status switch and the supervisors' alerts.
    for (const type of ['offer', 'offer.withdrawn', 'queue.pickup_missed', 'agent.status'])
      expect(parseFrame(JSON.stringify({ type }))?.type).toBe(type);
  });

  it('drops unknown, malformed and binary frames', () => {
    expect(parseFrame('{"type":"typing"}')).toBeNull();
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame('null')).toBeNull();
    expect(parseFrame(new ArrayBuffer(2))).toBeNull();
  });

  it('derives ws/wss from the page protocol', () => {
    expect(consoleFeedUrl({ protocol: 'http:', host: 'localhost:3000' })).toBe(
      'ws://localhost:3000/api/v1/console/ws',
    );
    expect(consoleFeedUrl({ protocol: 'https:', host: 'cs.shop.cn' })).toBe(
      'wss://cs.shop.cn/api/v1/console/ws',
    );
  });
});
