// The wait-time simulator against queueing theory: M/M/1, Erlang C for several slots, and Cobham's
// formula for non-preemptive priority classes. Long runs, so the tolerances are a few per cent.
import { describe, expect, it } from 'vitest';
import {
  type Band,
  createRandom,
  poissonArrivals,
  type SimulatedConversation,
  sampleDuration,
  simulateWaits,
} from './simulate.ts';

const RUN = 200_000;
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function stream(
  perHour: number,
  bandOf: (i: number) => Band = () => 'normal',
  seed = 7,
): SimulatedConversation[] {
  return poissonArrivals(RUN, perHour, seed).map((arrivalSeconds, i) => ({
    queue: 'general',
    band: bandOf(i),
    arrivalSeconds,
  }));
}

describe('simulateWaits', () => {
  it('matches M/M/1: mean wait ρ/(μ−λ) and a share ρ of customers who wait at all', () => {
    const mu = 1 / 60;
    const lambda = 0.7 * mu;
    const result = simulateWaits({
      conversations: stream(lambda * 3600),
      staffing: { general: { agents: 1, capacity: 1 } },
      handleTime: { kind: 'exponential', meanSeconds: 60 },
    });
    const rho = lambda / mu;
    const expected = rho / (mu - lambda); // 140 s
    expect(result.overall.count).toBe(RUN);
    expect(result.overall.meanSeconds / expected).toBeGreaterThan(0.95);
    expect(result.overall.meanSeconds / expected).toBeLessThan(1.05);
    const waited = result.waits.filter((w) => w > 0).length / RUN;
    expect(waited).toBeCloseTo(rho, 1);
    expect(result.utilisation.general).toBeCloseTo(rho, 1);
  });

  it('treats agents × capacity as parallel slots (Erlang C, M/M/2)', () => {
    const mu = 1 / 60;
    const lambda = 1.6 * mu;
    const a = lambda / mu;
    const c = 2;
    const top = a ** c / 2 / (1 - a / c);
    const erlangC = top / (1 + a + top);
    const expected = erlangC / (c * mu - lambda); // ≈ 106.7 s
    for (const staffing of [
      { general: { agents: 1, capacity: 2 } },
      { general: { agents: 2, capacity: 1 } },
    ]) {
      const result = simulateWaits({
        conversations: stream(lambda * 3600),
        staffing,
        handleTime: { kind: 'exponential', meanSeconds: 60 },
      });
      expect(result.overall.meanSeconds / expected).toBeGreaterThan(0.94);
      expect(result.overall.meanSeconds / expected).toBeLessThan(1.06);
      expect(result.waits.filter((w) => w > 0).length / RUN).toBeCloseTo(erlangC, 1);
    }
  });

  it('serves urgent before normal under load, as Cobham’s non-preemptive priority formula predicts', () => {
    const mu = 1 / 60;
    const lambda = 0.8 * mu;
    const random = createRandom(99);
    const bands = Array.from({ length: RUN }, (): Band => (random() < 0.2 ? 'urgent' : 'normal'));
    const result = simulateWaits({
      conversations: stream(lambda * 3600, (i) => bands[i] as Band),
      staffing: { general: { agents: 1, capacity: 1 } },
      handleTime: { kind: 'exponential', meanSeconds: 60 },
    });
    // W_k = W0 / ((1 − σ_{k−1})(1 − σ_k)), W0 = λ·E[S²]/2 = ρ/μ for exponential service.
    const rho = lambda / mu;
    const w0 = rho / mu;
    const sigmaUrgent = 0.2 * rho;
    const urgent = result.byBand.urgent;
    const normal = result.byBand.normal;
    if (!urgent || !normal) throw new Error('both bands must be reported');
    expect(urgent.meanSeconds / (w0 / (1 - sigmaUrgent))).toBeGreaterThan(0.93);
    expect(urgent.meanSeconds / (w0 / (1 - sigmaUrgent))).toBeLessThan(1.07);
    expect(normal.meanSeconds / (w0 / ((1 - sigmaUrgent) * (1 - rho)))).toBeGreaterThan(0.93);
    expect(normal.meanSeconds / (w0 / ((1 - sigmaUrgent) * (1 - rho)))).toBeLessThan(1.07);
    expect(urgent.p95Seconds).toBeLessThan(normal.p95Seconds);
    expect(urgent.withinTarget).toBeGreaterThan(normal.withinTarget);
    expect(result.byBand.high).toBeUndefined();
  });

  it('orders by band and then by arrival, per queue', () => {
    const result = simulateWaits({
      conversations: [
        { queue: 'general', band: 'normal', arrivalSeconds: 0 },
        { queue: 'general', band: 'low', arrivalSeconds: 1 },
        { queue: 'general', band: 'normal', arrivalSeconds: 2 },
        { queue: 'general', band: 'urgent', arrivalSeconds: 3 },
        { queue: 'general', band: 'high', arrivalSeconds: 4 },
        { queue: 'vip', band: 'high', arrivalSeconds: 5 },
      ],
      staffing: { general: { agents: 1, capacity: 1 }, vip: { agents: 1, capacity: 1 } },
      handleTime: { kind: 'fixed', seconds: 10 },
    });
    // general answers at 0 (normal@0), 10 (urgent), 20 (high), 30 (normal@2), 40 (low).
    expect(result.waits).toEqual([0, 39, 28, 7, 16, 0]);
    expect(result.byQueue.vip?.count).toBe(1);
    expect(result.byQueue.general?.p95Seconds).toBe(39);
    expect(result.byBand.low?.withinTarget).toBe(0);
    expect(result.byBand.urgent?.withinTarget).toBe(1);
  });

  it('counts pickup time as waiting even when an agent is free', () => {
    const result = simulateWaits({
      conversations: stream(10).slice(0, 1000),
      staffing: { general: { agents: 50, capacity: 3 } },
      handleTime: { kind: 'lognormal', meanSeconds: 300, medianSeconds: 180 },
      pickupTime: { kind: 'fixed', seconds: 8 },
    });
    expect(result.overall.p50Seconds).toBe(8);
    expect(result.overall.maxSeconds).toBe(8);
    expect(result.overall.withinTarget).toBe(1);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const options = {
      conversations: stream(50).slice(0, 5000),
      staffing: { general: { agents: 1, capacity: 2 } },
      handleTime: { kind: 'lognormal', meanSeconds: 120, medianSeconds: 90 },
    } as const;
    const a = simulateWaits({ ...options, seed: 1 });
    expect(simulateWaits({ ...options, seed: 1 })).toEqual(a);
    expect(simulateWaits({ ...options, seed: 2 }).overall.meanSeconds).not.toBe(a.overall.meanSeconds);
  });

  it('rejects staffing and conversations it cannot simulate', () => {
    const handleTime = { kind: 'fixed', seconds: 60 } as const;
    const one = [{ queue: 'general', band: 'normal', arrivalSeconds: 0 }] as const;
    expect(() =>
      simulateWaits({ conversations: one, staffing: { general: { agents: 0, capacity: 1 } }, handleTime }),
    ).toThrow(/agents/);
    expect(() =>
      simulateWaits({ conversations: one, staffing: { vip: { agents: 1, capacity: 1 } }, handleTime }),
    ).toThrow(/no staffing/);
    expect(() =>
      simulateWaits({
        conversations: one,
        staffing: { general: { agents: 1, capacity: 1 } },
        handleTime: { kind: 'lognormal', meanSeconds: 30, medianSeconds: 60 },
      }),
    ).toThrow(/medianSeconds/);
  });
});

describe('sampleDuration', () => {
  it('draws lognormal handle times with the configured mean and median', () => {
    const random = createRandom(3);
    const xs = Array.from({ length: RUN }, () =>
      sampleDuration({ kind: 'lognormal', meanSeconds: 240, medianSeconds: 150 }, random),
    ).sort((a, b) => a - b);
    expect(mean(xs) / 240).toBeCloseTo(1, 1);
    expect((xs[RUN / 2] as number) / 150).toBeCloseTo(1, 1);
  });
});
