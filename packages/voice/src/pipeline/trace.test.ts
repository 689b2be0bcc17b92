import { describe, expect, it } from 'vitest';
import { ManualClock } from './test-support.ts';
import {
  PIPELINE_EVENTS as E,
  InMemoryCallTrace,
  percentile,
  summarizeLatencies,
  turnLatencies,
} from './trace.ts';

describe('InMemoryCallTrace', () => {
  it('stamps events with ms since its start and keeps explicit times', () => {
    const clock = new ManualClock();
    clock.advance(1000);
    const trace = new InMemoryCallTrace(clock);
    clock.advance(250);
    trace.add({ stage: 'sip', name: 'INVITE received' });
    trace.add({ stage: 'vad', name: E.endpoint, atMs: 100 });
    expect(trace.events().map((e) => e.atMs)).toEqual([250, 100]);
  });

  it('stops growing at maxEvents and counts what it dropped', () => {
    const trace = new InMemoryCallTrace(new ManualClock(), { maxEvents: 2 });
    for (let i = 0; i < 5; i++) trace.add({ stage: 'media', name: 'x' });
    expect(trace.events()).toHaveLength(2);
    expect(trace.droppedEvents).toBe(3);
  });
});

describe('turnLatencies', () => {
  it('measures end of speech → first reply frame, with provider time apart', () => {
    const trace = new InMemoryCallTrace(new ManualClock());
    const t = (name: string, atMs: number, extra: object = {}) =>
      trace.add({
        stage: 'vad',
        name,
        atMs,
        ...extra,
        detail: { turn: 1, ...((extra as { detail?: object }).detail ?? {}) },
      });
    t(E.endpoint, 1000, { detail: { endSilenceMs: 600 } });
    t(E.asrDone, 1300, { durationMs: 290 });
    t(E.brainDone, 1340, { durationMs: 40 });
    t(E.ttsDone, 1500, { durationMs: 150, detail: { sentence: 0 } });
    t(E.ttsDone, 1700, { durationMs: 190, detail: { sentence: 1 } });
    t(E.firstPacket, 1520);
    // A DTMF turn has no endpoint and is skipped.
    trace.add({ stage: 'dtmf', name: E.digitsDone, atMs: 3000, detail: { turn: 2 } });
    const [turn, ...rest] = turnLatencies(trace.events());
    expect(rest).toEqual([]);
    expect(turn).toEqual({
      turn: 1,
      endpointAtMs: 1000,
      firstPacketAtMs: 1520,
      totalMs: 520,
      providerMs: 440,
      asrMs: 290,
      firstTtsMs: 150,
      brainMs: 40,
      serverMs: 80,
      endSilenceMs: 600,
    });
  });
});

describe('percentile', () => {
  it('uses nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises turns', () => {
    const base = {
      endpointAtMs: 0,
      firstPacketAtMs: 0,
      asrMs: 0,
      firstTtsMs: 0,
      brainMs: 0,
      endSilenceMs: 0,
    };
    const s = summarizeLatencies([
      { ...base, turn: 1, totalMs: 500, providerMs: 400, serverMs: 100 },
      { ...base, turn: 2, totalMs: 700, providerMs: 500, serverMs: 200 },
    ]);
    expect(s).toEqual({
      turns: 2,
      total: { p50: 500, p95: 700 },
      server: { p50: 100, p95: 200 },
      provider: { p50: 400, p95: 500 },
    });
  });
});
