import { describe, expect, it } from 'vitest';
import { DEFAULT_KPI_TARGETS, kpiTargets, kpiValues, type RollupSum, statusOf, totalsOf } from './kpi.ts';

// A small period, hand-computed: 10 resolved (7 by the bot alone, 2 of whose customers came back on the
// same intent within 7 days), AI first answers after 2 s, 4 s and 9 s, human first replies after 20 s and
// 50 s, 3 ratings (5, 4, 3), 4 complaints opened and 3 closed, 5 tickets solved with 1 SLA miss,
// 40 bot turns with 6 fallbacks.
const sums: RollupSum[] = [
  { metric: 'resolved', count: 6, total: 0 },
  { metric: 'resolved', count: 4, total: 0 },
  { metric: 'contained', count: 7, total: 0 },
  { metric: 'repeat_contact', count: 2, total: 0 },
  { metric: 'ai_first_response', count: 3, total: 15_000 },
  { metric: 'human_first_response', count: 2, total: 70_000 },
  { metric: 'pickup_wait', count: 2, total: 24_000 },
  { metric: 'handle_time', count: 3, total: 1_800_000 },
  { metric: 'csat', count: 3, total: 12 },
  { metric: 'csat_satisfied', count: 2, total: 0 },
  { metric: 'complaint_opened', count: 4, total: 0 },
  { metric: 'complaint_closed', count: 3, total: 0 },
  { metric: 'tickets_solved', count: 5, total: 0 },
  { metric: 'sla_breached', count: 1, total: 0 },
  { metric: 'bot_turns', count: 40, total: 0 },
  { metric: 'bot_fallbacks', count: 6, total: 0 },
];

describe('KPI definitions', () => {
  it('computes every KPI from the rollups as the definitions say', () => {
    const kpis = Object.fromEntries(kpiValues(totalsOf(sums), DEFAULT_KPI_TARGETS).map((k) => [k.key, k]));
    expect(kpis.aiResponseSeconds).toMatchObject({ value: 5, basis: 3, status: 'met' }); // 15 s / 3
    expect(kpis.humanResponseSeconds).toMatchObject({ value: 35, basis: 2, status: 'missed' }); // > 33
    expect(kpis.pickupWaitSeconds).toMatchObject({ value: 12, status: 'met' });
    expect(kpis.handleMinutes).toMatchObject({ value: 10, status: 'met' }); // 1,800 s / 3 / 60
    expect(kpis.fcr).toMatchObject({ value: 0.8, basis: 10, status: 'near' }); // (10 − 2) / 10 vs 85 %
    expect(kpis.containment).toMatchObject({ value: 0.7, basis: 10, status: 'met' });
    expect(kpis.csat).toMatchObject({ value: 4, basis: 3, status: 'near' });
    expect(kpis.complaintClosure).toMatchObject({ value: 0.75, basis: 4, status: 'missed' });
    expect(kpis.slaAttainment).toMatchObject({ value: 0.8, basis: 5, status: 'missed' });
    expect(kpis.botFallbackRate).toMatchObject({ value: 0.15, basis: 40, status: 'met' });
  });

  it('has no data where nothing happened, and never a negative FCR', () => {
    const kpis = kpiValues(totalsOf([{ metric: 'repeat_contact', count: 3, total: 0 }]), DEFAULT_KPI_TARGETS);
    expect(kpis.every((k) => k.status === 'no_data' && k.value === null)).toBe(true);
    const odd = kpiValues(
      totalsOf([
        { metric: 'resolved', count: 1, total: 0 },
        { metric: 'repeat_contact', count: 2, total: 0 },
      ]),
      DEFAULT_KPI_TARGETS,
    );
    expect(odd.find((k) => k.key === 'fcr')?.value).toBe(0);
  });

  it('colours a value met, near (within 10 %) or missed', () => {
    expect(statusOf(10, { kind: 'max', value: 10 })).toBe('met');
    expect(statusOf(11, { kind: 'max', value: 10 })).toBe('near');
    expect(statusOf(11.5, { kind: 'max', value: 10 })).toBe('missed');
    expect(statusOf(0.7, { kind: 'min', value: 0.7 })).toBe('met');
    expect(statusOf(0.63, { kind: 'min', value: 0.7 })).toBe('near');
    expect(statusOf(0.62, { kind: 'min', value: 0.7 })).toBe('missed');
    expect(statusOf(null, { kind: 'min', value: 0.7 })).toBe('no_data');
  });

  it('takes a workspace’s own targets, keeping each KPI’s direction and ignoring impossible ones', () => {
    const targets = kpiTargets({ csat: 4.5, aiResponseSeconds: 5, fcr: 1.5, containment: -1 });
    expect(targets.csat).toEqual({ kind: 'min', value: 4.5 });
    expect(targets.aiResponseSeconds).toEqual({ kind: 'max', value: 5 });
    expect(targets.fcr).toEqual(DEFAULT_KPI_TARGETS.fcr);
    expect(targets.containment).toEqual(DEFAULT_KPI_TARGETS.containment);
    // The same 4.4 rating meets the brief's 4.2 and misses the shop's 4.5 narrowly.
    const sums: RollupSum[] = [{ metric: 'csat', count: 5, total: 22 }];
    const csat = (t: typeof targets) => kpiValues(totalsOf(sums), t).find((k) => k.key === 'csat');
    expect(csat(DEFAULT_KPI_TARGETS)?.status).toBe('met');
    expect(csat(targets)?.status).toBe('near');
  });
});
