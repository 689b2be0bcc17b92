import type { Agent, WaitingConversation } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import { clock, wallboardOf } from './summary.ts';

const now = Date.parse('2026-11-26T10:00:00.000Z');
const waiting = (queue: string | null, secondsAgo: number) =>
  ({
    conversationId: `c-${queue}-${secondsAgo}`,
    queue: queue ? { id: queue, key: queue, name: `队列${queue}` } : null,
    waitingSince: new Date(now - secondsAgo * 1000).toISOString(),
  }) as WaitingConversation;
const agent = (status: Agent['status'], load: number, capacity: number) =>
  ({ status, load, capacity }) as Agent;

describe('the wallboard', () => {
  it('counts who waits, the longest waits overall and per queue, and who can take them', () => {
    const board = wallboardOf(
      [waiting('pre', 30), waiting('after', 95), waiting('pre', 200), waiting(null, 5)],
      [agent('online', 2, 3), agent('online', 3, 3), agent('away', 1, 3), agent('offline', 0, 3)],
      now,
    );
    expect(board).toMatchObject({
      waiting: 4,
      longestSeconds: 200,
      online: 2,
      away: 1,
      offline: 1,
      load: 5,
      capacity: 6,
    });
    expect(board.queues).toEqual([
      { key: 'pre', name: '队列pre', waiting: 2, longestSeconds: 200 },
      { key: 'after', name: '队列after', waiting: 1, longestSeconds: 95 },
      { key: '', name: '', waiting: 1, longestSeconds: 5 },
    ]);
    expect(wallboardOf([], [], now)).toMatchObject({ waiting: 0, longestSeconds: null, capacity: 0 });
  });

  it('reads a wait as a clock', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(75)).toBe('1:15');
    expect(clock(3725)).toBe('1:02:05');
  });
});
