import { describe, expect, it } from 'vitest';
import { fieldLabel, slaTag, statusActions } from './ticketLabels.ts';

describe('statusActions', () => {
  it('offers what the server allows, names each move by where it starts, and marks the usual next step', () => {
    expect(statusActions('new', ['open', 'pending', 'solved', 'closed'])).toEqual([
      { to: 'open', label: 'tickets.move.accept', asks: null, primary: true },
      { to: 'pending', label: 'tickets.move.pending', asks: 'pendingReason', primary: false },
      { to: 'solved', label: 'tickets.move.solve', asks: 'resolution', primary: false },
      { to: 'closed', label: 'tickets.move.close', asks: 'confirm', primary: false },
    ]);
    expect(statusActions('pending', ['open', 'solved', 'closed']).map((a) => [a.label, a.primary])).toEqual([
      ['tickets.move.resume', false],
      ['tickets.move.solve', true],
      ['tickets.move.close', false],
    ]);
    expect(statusActions('solved', ['open', 'closed']).map((a) => [a.label, a.primary])).toEqual([
      ['tickets.move.reopen', false],
      ['tickets.move.close', true],
    ]);
  });

  it('offers nothing for a closed ticket and never the status it already has', () => {
    expect(statusActions('closed', [])).toEqual([]);
    expect(statusActions('open', ['open', 'solved']).map((a) => a.to)).toEqual(['solved']);
  });
});

describe('slaTag', () => {
  const due = '2026-11-24T02:00:00.000Z';
  const base = { metric: 'first_response' as const, dueAt: due, breachedAt: null };

  it('shows nothing without an SLA', () => {
    expect(slaTag(null)).toBeNull();
  });

  it('puts the deadline beside running and warning targets', () => {
    expect(slaTag({ ...base, state: 'running' })).toEqual({
      color: 'blue',
      label: 'tickets.sla.running',
      time: { kind: 'due', at: due },
    });
    expect(slaTag({ ...base, state: 'warning' })).toEqual({
      color: 'orange',
      label: 'tickets.sla.warning',
      time: { kind: 'due', at: due },
    });
  });

  it('shows when a breached target was missed, and no time once paused or met', () => {
    expect(slaTag({ ...base, state: 'breached', dueAt: null, breachedAt: due })).toEqual({
      color: 'red',
      label: 'tickets.sla.breached',
      time: { kind: 'breached', at: due },
    });
    expect(slaTag({ ...base, state: 'paused', dueAt: null })?.time).toBeNull();
    expect(slaTag({ ...base, state: 'met', dueAt: null })).toMatchObject({ color: 'green', time: null });
  });
});

describe('fieldLabel', () => {
  const field = { key: 'bought_on', label: '购买日期', labelEn: 'Purchase date' };
  it('labels a custom field in the console language, falling back to the shop label, then the key', () => {
    expect(fieldLabel(field, 'bought_on', 'zh-CN')).toBe('购买日期');
    expect(fieldLabel(field, 'bought_on', 'en-US')).toBe('Purchase date');
    expect(fieldLabel({ ...field, labelEn: null }, 'bought_on', 'en-US')).toBe('购买日期');
    expect(fieldLabel(undefined, 'bought_on', 'en-US')).toBe('bought on');
  });
});
