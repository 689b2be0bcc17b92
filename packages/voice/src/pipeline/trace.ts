// The per-call trace kept in memory, and the turn latencies read from it: end of speech → first reply
// frame sent, with the speech providers' time (ASR + first TTS sentence) reported separately.

import type { CallTrace, TraceEvent, VoiceClock } from '../types.ts';

/** Names of the pipeline's trace events (the `name` field), one place for the bot loop and readers. */
export const PIPELINE_EVENTS = {
  speechStart: 'speech-start',
  endpoint: 'endpoint',
  bargeIn: 'barge-in',
  asrStart: 'asr.start',
  asrDone: 'asr.done',
  asrFailed: 'asr.failed',
  ignored: 'asr.ignored-noise',
  brainDone: 'brain.done',
  ttsDone: 'tts.done',
  ttsFailed: 'tts.failed',
  replyQueued: 'reply.queued',
  firstPacket: 'reply.first-packet',
  replyDone: 'reply.done',
  dtmfDigit: 'dtmf.digit',
  digitsDone: 'digits.done',
  silence: 'silence',
} as const;

/** Events are stamped with milliseconds since the trace's start; the list grows to `maxEvents` at most. */
export class InMemoryCallTrace implements CallTrace {
  private readonly list: TraceEvent[] = [];
  private readonly startMs: number;
  private readonly maxEvents: number;
  private dropped = 0;

  constructor(
    private readonly clock: Pick<VoiceClock, 'now'>,
    options: { startMs?: number; maxEvents?: number } = {},
  ) {
    this.startMs = options.startMs ?? clock.now();
    this.maxEvents = options.maxEvents ?? 5000;
  }

  add(event: Omit<TraceEvent, 'atMs'> & { atMs?: number }): void {
    // A call that runs for hours must not grow without bound; later events are counted, not kept.
    if (this.list.length >= this.maxEvents) {
      this.dropped++;
      return;
    }
    const { atMs, ...rest } = event;
    this.list.push({ ...rest, atMs: atMs ?? Math.round(this.clock.now() - this.startMs) });
  }

  events(): readonly TraceEvent[] {
    return this.list;
  }

  /** Events not kept because the trace was full. */
  get droppedEvents(): number {
    return this.dropped;
  }

  /** Milliseconds since the trace's start, on its clock (for events stamped after the fact). */
  elapsedMs(): number {
    return Math.round(this.clock.now() - this.startMs);
  }
}

/** One caller turn, from the trace. All times are ms. */
export interface TurnLatency {
  turn: number;
  /** When the endpointer decided the caller had finished (trace time). */
  endpointAtMs: number;
  /** When the first frame of the reply left (trace time). */
  firstPacketAtMs: number;
  /** End of speech (endpoint decision) → first reply frame sent. */
  totalMs: number;
  /** The part spent waiting for the speech providers: the ASR call and the first sentence's TTS call. */
  providerMs: number;
  asrMs: number;
  firstTtsMs: number;
  brainMs: number;
  /** totalMs − providerMs: the server's own part (endpoint handling, brain, resampling, queueing). */
  serverMs: number;
  /** The trailing silence the endpointer waited for before it decided (not in totalMs). */
  endSilenceMs: number;
}

/**
 * Turn latencies of every caller turn that got a spoken reply. A turn is the events carrying the same
 * `detail.turn` number (the bot loop stamps them); turns without an endpoint (DTMF, silence) or without a
 * reply frame are skipped.
 */
export function turnLatencies(events: readonly TraceEvent[]): TurnLatency[] {
  const byTurn = new Map<number, TraceEvent[]>();
  for (const e of events) {
    const turn = e.detail?.turn;
    if (typeof turn !== 'number') continue;
    const list = byTurn.get(turn) ?? [];
    list.push(e);
    byTurn.set(turn, list);
  }
  const out: TurnLatency[] = [];
  for (const [turn, list] of [...byTurn].sort((a, b) => a[0] - b[0])) {
    const endpoint = list.find((e) => e.name === PIPELINE_EVENTS.endpoint);
    const first = list.find((e) => e.name === PIPELINE_EVENTS.firstPacket);
    if (!endpoint || !first) continue;
    const asrMs = list.find(
      (e) => e.name === PIPELINE_EVENTS.asrDone || e.name === PIPELINE_EVENTS.asrFailed,
    )?.durationMs;
    const firstTts = list.find((e) => e.name === PIPELINE_EVENTS.ttsDone && e.detail?.sentence === 0);
    const brainMs = list.find((e) => e.name === PIPELINE_EVENTS.brainDone)?.durationMs ?? 0;
    const totalMs = first.atMs - endpoint.atMs;
    const providerMs = (asrMs ?? 0) + (firstTts?.durationMs ?? 0);
    const endSilence = endpoint.detail?.endSilenceMs;
    out.push({
      turn,
      endpointAtMs: endpoint.atMs,
      firstPacketAtMs: first.atMs,
      totalMs,
      providerMs,
      asrMs: asrMs ?? 0,
      firstTtsMs: firstTts?.durationMs ?? 0,
      brainMs,
      serverMs: Math.max(0, totalMs - providerMs),
      endSilenceMs: typeof endSilence === 'number' ? endSilence : 0,
    });
  }
  return out;
}

/** The p-th percentile (0..100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

export interface LatencySummary {
  turns: number;
  total: { p50: number; p95: number };
  server: { p50: number; p95: number };
  provider: { p50: number; p95: number };
}

/** p50/p95 of a set of turns, for `bench:voice` and `voice test`. */
export function summarizeLatencies(turns: readonly TurnLatency[]): LatencySummary {
  const pick = (f: (t: TurnLatency) => number) => {
    const v = turns.map(f);
    return { p50: percentile(v, 50), p95: percentile(v, 95) };
  };
  return {
    turns: turns.length,
    total: pick((t) => t.totalMs),
    server: pick((t) => t.serverMs),
    provider: pick((t) => t.providerMs),
  };
}
