import { describe, expect, it } from 'vitest';
import { businessClock, defaultWorkspaceCalendar } from './businessCalendar.ts';
import {
  dueAlerts,
  pauseClock,
  reopenClock,
  resumeClock,
  retargetClock,
  type SlaClock,
  startClock,
  stopClock,
} from './slaClock.ts';
import { matchSlaPolicy, raisedPriority, type SlaPolicy } from './slaPolicy.ts';

const policy = (id: string, conditions: Partial<SlaPolicy['conditions']>, position: number): SlaPolicy => ({
  id,
  name: id,
  conditions: { priority: null, category: null, customerTier: null, ...conditions },
  targets: { first_response: 60, next_response: 120, resolution: 480 },
  businessHours: true,
  escalation: { notifySupervisors: true, raisePriority: true, reassignToUserId: null },
  enabled: true,
  position,
  createdAt: '2026-11-01T00:00:00Z',
  updatedAt: '2026-11-01T00:00:00Z',
});

describe('matchSlaPolicy', () => {
  const policies = [
    policy('default', {}, 0),
    policy('urgent', { priority: 'urgent' }, 1),
    policy('vip-urgent', { priority: 'urgent', customerTier: 'vip' }, 2),
    policy('faults', { category: '设备故障' }, 3),
    policy('vip', { customerTier: 'vip' }, 4),
  ];
  const facts = (f: Partial<Parameters<typeof matchSlaPolicy>[1]>) => ({
    priority: 'normal' as const,
    category: null,
    customerTier: null,
    ...f,
  });

  it('takes the most specific match, then the earlier one', () => {
    expect(matchSlaPolicy(policies, facts({}))?.id).toBe('default');
    expect(matchSlaPolicy(policies, facts({ priority: 'urgent' }))?.id).toBe('urgent');
    expect(matchSlaPolicy(policies, facts({ priority: 'urgent', customerTier: 'vip' }))?.id).toBe(
      'vip-urgent',
    );
    expect(matchSlaPolicy(policies, facts({ category: '设备故障', customerTier: 'vip' }))?.id).toBe('faults');
    expect(matchSlaPolicy(policies, facts({ customerTier: 'regular' }))?.id).toBe('default');
  });

  it('skips disabled policies and may find none', () => {
    const [first, ...rest] = policies;
    expect(matchSlaPolicy([{ ...(first as SlaPolicy), enabled: false }, ...rest], facts({}))).toBeNull();
    expect(matchSlaPolicy([], facts({}))).toBeNull();
  });

  it('raises priority one step', () => {
    expect(raisedPriority('low')).toBe('normal');
    expect(raisedPriority('high')).toBe('urgent');
    expect(raisedPriority('urgent')).toBe('urgent');
  });
});

describe('SLA clock', () => {
  const cal = businessClock(defaultWorkspaceCalendar());
  const sh = (local: string) => new Date(`${local}+08:00`);
  const fresh = (startedAt: string, targetMinutes = 240): SlaClock =>
    startClock(
      {
        id: 'c1',
        ticketId: 't1',
        metric: 'resolution',
        cycle: 0,
        policyId: 'p1',
        targetMinutes,
        businessHours: true,
        priority: 'normal',
        category: null,
        customerTier: null,
        startedAt: sh(startedAt).toISOString(),
      },
      cal,
    );

  it('sets warning and due times on business hours', () => {
    const c = fresh('2026-11-27T16:00'); // Friday; 2 h left today
    expect(c.warnAt).toBe(sh('2026-11-30T10:00').toISOString()); // 180 min
    expect(c.dueAt).toBe(sh('2026-11-30T11:00').toISOString());
    expect(dueAlerts(c, cal, sh('2026-11-30T09:59'))).toEqual({ warn: false, breach: false });
    expect(dueAlerts(c, cal, sh('2026-11-30T10:00'))).toEqual({ warn: true, breach: false });
    expect(dueAlerts(c, cal, sh('2026-11-30T11:00'))).toEqual({ warn: true, breach: true });
  });

  it('pauses while pending on the customer and resumes with what was left', () => {
    let c = fresh('2026-11-24T09:00');
    c = pauseClock(c, cal, sh('2026-11-24T10:00'));
    expect(c).toMatchObject({ elapsedMs: 3_600_000, runningSince: null, dueAt: null });
    expect(dueAlerts(c, cal, sh('2026-11-26T10:00')).breach).toBe(false);
    c = resumeClock(c, cal, sh('2026-11-25T17:00'));
    expect(c.dueAt).toBe(sh('2026-11-26T11:00').toISOString()); // 1 h today, 2 h tomorrow
    c = stopClock(c, cal, sh('2026-11-26T10:30'));
    expect(c).toMatchObject({ stoppedAt: sh('2026-11-26T10:30').toISOString(), breachedAt: null });
    expect(c.elapsedMs).toBe(3.5 * 3_600_000);
  });

  it('records a late stop as a breach even if no check saw it, and reopens', () => {
    let c = fresh('2026-11-24T09:00', 60);
    c = stopClock(c, cal, sh('2026-11-24T11:00'));
    expect(c.breachedAt).toBe(sh('2026-11-24T10:00').toISOString());
    expect(stopClock(c, cal, sh('2026-11-24T12:00'))).toBe(c);
    c = reopenClock(c, cal, sh('2026-11-25T09:00'));
    expect(c).toMatchObject({ stoppedAt: null, runningSince: sh('2026-11-25T09:00').toISOString() });
    expect(dueAlerts(c, cal, sh('2026-11-25T12:00')).breach).toBe(false); // already breached once
  });

  describe('retargetClock', () => {
    const urgent = {
      policyId: 'p2',
      targetMinutes: 120,
      businessHours: true,
      priority: 'urgent' as const,
      category: null,
      customerTier: null,
    };
    const both = { from: cal, to: cal };

    it('keeps the business time used and moves the deadlines to the new target', () => {
      const c = fresh('2026-11-24T09:00'); // 240 min, due 13:00
      const at = sh('2026-11-24T10:00');
      const r = retargetClock(c, urgent, both, at);
      expect(r).toMatchObject({
        policyId: 'p2',
        targetMinutes: 120,
        priority: 'urgent',
        elapsedMs: 3_600_000,
      });
      expect(r.runningSince).toBe(at.toISOString());
      expect(r.dueAt).toBe(sh('2026-11-24T11:00').toISOString()); // 1 h used, 1 h left
      expect(r.warnAt).toBe(sh('2026-11-24T10:30').toISOString());
      // A longer target after a shorter one gives the warning again when it is ahead.
      const warned = { ...r, warnedAt: sh('2026-11-24T10:30').toISOString() };
      const back = retargetClock(
        warned,
        { ...urgent, targetMinutes: 480, priority: 'low' },
        both,
        sh('2026-11-24T10:45'),
      );
      expect(back).toMatchObject({ warnedAt: null, dueAt: sh('2026-11-24T17:00').toISOString() });
    });

    it('makes a share already used due at once, and leaves paused clocks without deadlines', () => {
      const c = fresh('2026-11-24T09:00');
      const late = retargetClock(c, { ...urgent, targetMinutes: 60 }, both, sh('2026-11-24T11:00'));
      expect(late.dueAt).toBe(sh('2026-11-24T11:00').toISOString());
      expect(dueAlerts(late, cal, sh('2026-11-24T11:00')).breach).toBe(true);
      const paused = pauseClock(c, cal, sh('2026-11-24T10:00'));
      const r = retargetClock(paused, urgent, both, sh('2026-11-25T10:00'));
      expect(r).toMatchObject({ targetMinutes: 120, elapsedMs: 3_600_000, runningSince: null, dueAt: null });
      expect(resumeClock(r, cal, sh('2026-11-25T10:00')).dueAt).toBe(sh('2026-11-25T11:00').toISOString());
    });

    it('leaves breached, met and unchanged clocks as they are', () => {
      const c = fresh('2026-11-24T09:00', 60);
      const breached = { ...c, breachedAt: sh('2026-11-24T10:00').toISOString() };
      expect(retargetClock(breached, urgent, both, sh('2026-11-24T11:00'))).toBe(breached);
      const met = stopClock(c, cal, sh('2026-11-24T09:30'));
      expect(retargetClock(met, urgent, both, sh('2026-11-24T11:00'))).toBe(met);
      // Same policy and minutes under a new priority: the clock keeps the facts it was set by.
      const same = { ...urgent, policyId: 'p1', targetMinutes: 60 };
      expect(retargetClock(c, same, both, sh('2026-11-24T09:30'))).toBe(c);
    });
  });
});
