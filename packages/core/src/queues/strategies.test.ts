// The dispatcher's pure decisions: line order, availability, queue fit, and each strategy's pick.
import { describe, expect, it } from 'vitest';
import { estimateWaitSeconds, HANDLE_SECONDS, median, waitMinutes } from './estimateWait.ts';
import type { AgentProfile, Queue, WaitingConversation } from './queues.ts';
import { type Candidate, isAvailable, orderWaiting, pickAgent, servesQueue } from './strategies.ts';

const now = new Date('2026-11-25T10:00:00Z');
const agent = (userId: string, extra: Partial<AgentProfile> = {}): AgentProfile => ({
  userId,
  skills: [],
  languages: ['zh-CN'],
  capacity: 3,
  status: 'online',
  statusChangedAt: '2026-11-25T09:00:00Z',
  lastActivityAt: '2026-11-25T09:59:00Z',
  autoAway: false,
  ...extra,
});
const queue = (extra: Partial<Queue> = {}): Queue => ({
  id: 'q',
  workspaceId: 'w',
  key: 'general',
  name: 'General',
  requiredSkills: [],
  language: null,
  strategy: 'least_busy',
  pickupTimeoutSeconds: 30,
  overflowPolicy: 'wait',
  overflowAfterSeconds: 120,
  position: 0,
  lastOfferedUserId: null,
  memberIds: [],
  createdAt: '',
  updatedAt: '',
  ...extra,
});
const waiting = (id: string, extra: Partial<WaitingConversation>): WaitingConversation => ({
  conversationId: id,
  customerId: `c-${id}`,
  queueId: null,
  priority: 'normal',
  priorityScore: 0,
  waitingSince: '2026-11-25T09:50:00Z',
  ...extra,
});
const candidates = (...entries: [AgentProfile, number][]): Candidate[] =>
  entries.map(([a, load]) => ({ agent: a, load }));

describe('line order', () => {
  it('serves the band first, then the score, then who waited longest', () => {
    const line = orderWaiting([
      waiting('early-normal', { waitingSince: '2026-11-25T09:00:00Z' }),
      waiting('late-urgent', { priority: 'urgent', waitingSince: '2026-11-25T09:59:00Z' }),
      waiting('vip-high', { priority: 'high', priorityScore: 90, waitingSince: '2026-11-25T09:58:00Z' }),
      waiting('plain-high', { priority: 'high', priorityScore: 40, waitingSince: '2026-11-25T09:10:00Z' }),
      waiting('later-normal', { waitingSince: '2026-11-25T09:30:00Z' }),
      waiting('low', { priority: 'low', waitingSince: '2026-11-25T08:00:00Z' }),
    ]);
    expect(line.map((w) => w.conversationId)).toEqual([
      'late-urgent',
      'vip-high',
      'plain-high',
      'early-normal',
      'later-normal',
      'low',
    ]);
  });
});

describe('eligibility', () => {
  it('counts an online agent idle past the auto-away minutes as unavailable', () => {
    expect(isAvailable(agent('a'), now, 10)).toBe(true);
    expect(isAvailable(agent('a', { lastActivityAt: '2026-11-25T09:49:59Z' }), now, 10)).toBe(false);
    expect(isAvailable(agent('a', { status: 'away' }), now, 10)).toBe(false);
    expect(isAvailable(agent('a', { status: 'offline' }), now, 10)).toBe(false);
  });

  it('needs membership (unless the queue is open), every required skill and the queue’s language', () => {
    expect(servesQueue(agent('a'), queue())).toBe(true);
    expect(servesQueue(agent('a'), queue({ memberIds: ['b'] }))).toBe(false);
    expect(
      servesQueue(agent('a', { skills: ['refunds'] }), queue({ requiredSkills: ['refunds', 'vip'] })),
    ).toBe(false);
    expect(
      servesQueue(
        agent('a', { skills: ['refunds', 'vip', 'x'] }),
        queue({ requiredSkills: ['refunds', 'vip'] }),
      ),
    ).toBe(true);
    expect(servesQueue(agent('a'), queue({ language: 'en-US' }))).toBe(false);
    expect(servesQueue(agent('a', { languages: ['zh-CN', 'en-US'] }), queue({ language: 'en-US' }))).toBe(
      true,
    );
  });
});

describe('strategies', () => {
  const a = agent('a', { statusChangedAt: '2026-11-25T08:00:00Z' });
  const b = agent('b', { statusChangedAt: '2026-11-25T07:00:00Z' });
  const c = agent('c', { statusChangedAt: '2026-11-25T06:00:00Z' });
  const ctx = { lastOfferedUserId: null, stickyUserId: null, rotation: ['a', 'b', 'c'] };

  it('least-busy takes the lowest load, ties to whoever has been online longest', () => {
    expect(pickAgent('least_busy', candidates([a, 0], [b, 2], [c, 1]), ctx)?.agent.userId).toBe('a');
    expect(pickAgent('least_busy', candidates([a, 1], [b, 1], [c, 2]), ctx)?.agent.userId).toBe('b');
    expect(pickAgent('least_busy', [], ctx)).toBeNull();
  });

  it('round-robin takes the next after the cursor in member order, wrapping, skipping who cannot take it', () => {
    const all = candidates([a, 0], [b, 0], [c, 0]);
    expect(pickAgent('round_robin', all, ctx)?.agent.userId).toBe('a');
    expect(pickAgent('round_robin', all, { ...ctx, lastOfferedUserId: 'a' })?.agent.userId).toBe('b');
    expect(pickAgent('round_robin', all, { ...ctx, lastOfferedUserId: 'c' })?.agent.userId).toBe('a');
    // b is at capacity (not a candidate): after a comes c.
    expect(
      pickAgent('round_robin', candidates([a, 0], [c, 0]), { ...ctx, lastOfferedUserId: 'a' })?.agent.userId,
    ).toBe('c');
    // A full rotation gives everyone one.
    let cursor: string | null = null;
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const pick = pickAgent('round_robin', all, { ...ctx, lastOfferedUserId: cursor });
      cursor = pick?.agent.userId ?? null;
      picks.push(cursor ?? '-');
    }
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('sticky goes back to the customer’s last agent when they can take it, else least-busy', () => {
    const all = candidates([a, 2], [b, 0], [c, 1]);
    expect(pickAgent('sticky', all, { ...ctx, stickyUserId: 'a' })?.agent.userId).toBe('a');
    expect(pickAgent('sticky', candidates([b, 0], [c, 1]), { ...ctx, stickyUserId: 'a' })?.agent.userId).toBe(
      'b',
    );
    expect(pickAgent('sticky', all, ctx)?.agent.userId).toBe('b');
  });
});

describe('estimated wait', () => {
  it('is the median recent pickup while free slots last, then adds a handle time per round of slots', () => {
    const base = { recentPickupSeconds: [10, 50, 20], pickupTimeoutSeconds: 30, freeSlots: 2, totalSlots: 4 };
    expect(median([10, 50, 20])).toBe(20);
    expect(median([10, 20, 30, 40])).toBe(25);
    expect(estimateWaitSeconds({ ...base, position: 1 })).toBe(20);
    expect(estimateWaitSeconds({ ...base, position: 2 })).toBe(20);
    expect(estimateWaitSeconds({ ...base, position: 3 })).toBe(20 + HANDLE_SECONDS);
    expect(estimateWaitSeconds({ ...base, position: 7 })).toBe(20 + 2 * HANDLE_SECONDS);
  });

  it('falls back to the pickup timeout without history, and has no estimate with nobody available', () => {
    expect(
      estimateWaitSeconds({
        position: 1,
        recentPickupSeconds: [5, 6],
        pickupTimeoutSeconds: 30,
        freeSlots: 1,
        totalSlots: 3,
      }),
    ).toBe(30);
    expect(
      estimateWaitSeconds({
        position: 1,
        recentPickupSeconds: [],
        pickupTimeoutSeconds: 30,
        freeSlots: 0,
        totalSlots: 0,
      }),
    ).toBeNull();
    expect([waitMinutes(1), waitMinutes(60), waitMinutes(61), waitMinutes(330)]).toEqual([1, 1, 2, 6]);
  });
});
