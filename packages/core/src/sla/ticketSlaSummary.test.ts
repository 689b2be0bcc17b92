import { describe, expect, it } from 'vitest';
import { businessClock, defaultWorkspaceCalendar } from './businessCalendar.ts';
import { pauseClock, type SlaClock, startClock, stopClock } from './slaClock.ts';
import type { SlaMetric } from './slaPolicy.ts';
import { summariseTicketSla } from './ticketSlaSummary.ts';

const cal = businessClock(defaultWorkspaceCalendar());
const sh = (local: string) => new Date(`${local}+08:00`);
// Tuesday 24 Nov 2026, 09:00 in Shanghai: business hours all day.
const start = '2026-11-24T09:00';
const clock = (metric: SlaMetric, targetMinutes: number): SlaClock =>
  startClock(
    {
      id: metric,
      ticketId: 't1',
      metric,
      cycle: 0,
      policyId: 'p1',
      targetMinutes,
      businessHours: true,
      priority: 'normal',
      category: null,
      customerTier: null,
      startedAt: sh(start).toISOString(),
    },
    cal,
  );

describe('summariseTicketSla', () => {
  const first = clock('first_response', 60); // due 10:00, warned from 09:45
  const resolution = clock('resolution', 480); // due 17:00 (lunch is not off on the default calendar)

  it('has nothing to say without clocks', () => {
    expect(summariseTicketSla([], sh(start))).toBeNull();
  });

  it('shows the open target due first, warns at 75 %, and breaches at the deadline before any job ran', () => {
    expect(summariseTicketSla([resolution, first], sh('2026-11-24T09:30'))).toEqual({
      metric: 'first_response',
      state: 'running',
      dueAt: sh('2026-11-24T10:00').toISOString(),
      breachedAt: null,
    });
    expect(summariseTicketSla([resolution, first], sh('2026-11-24T09:45'))?.state).toBe('warning');
    expect(summariseTicketSla([resolution, first], sh('2026-11-24T10:00'))).toEqual({
      metric: 'first_response',
      state: 'breached',
      dueAt: sh('2026-11-24T10:00').toISOString(),
      breachedAt: sh('2026-11-24T10:00').toISOString(),
    });
  });

  it('moves on to the next open target once one is met, even if it was met late', () => {
    const late = stopClock(first, cal, sh('2026-11-24T10:30'));
    expect(late.breachedAt).not.toBeNull();
    expect(summariseTicketSla([late, resolution], sh('2026-11-24T10:30'))).toMatchObject({
      metric: 'resolution',
      state: 'running',
      dueAt: resolution.dueAt,
    });
    const paused = pauseClock(resolution, cal, sh('2026-11-24T11:00'));
    expect(summariseTicketSla([late, paused], sh('2026-11-24T11:00'))).toMatchObject({
      metric: 'resolution',
      state: 'paused',
      dueAt: null,
    });
  });

  it('once every target is settled: breached if one was missed, else met', () => {
    const onTime = stopClock(first, cal, sh('2026-11-24T09:20'));
    const late = stopClock(first, cal, sh('2026-11-24T10:30'));
    const solved = stopClock(resolution, cal, sh('2026-11-24T15:00'));
    expect(summariseTicketSla([onTime, solved], sh('2026-11-25T09:00'))).toEqual({
      metric: 'first_response',
      state: 'met',
      dueAt: null,
      breachedAt: null,
    });
    expect(summariseTicketSla([late, solved], sh('2026-11-25T09:00'))).toEqual({
      metric: 'first_response',
      state: 'breached',
      dueAt: null,
      breachedAt: sh('2026-11-24T10:00').toISOString(),
    });
  });
});
