// The demo history's machinery: a seeded random source, the simulated clock the app runs on, an agenda of
// things due later (a ticket solved tomorrow, a survey answered after it arrives), the job worker drained
// at every step, and the shop's working hours (09:00–22:00 in Shanghai), in which its people act.
import { seededRandom, type WorkspaceStore } from '@zhike/core';
import type { AppContext } from '../context.ts';

export interface SimulatedClock {
  now(): Date;
  set(at: number): void;
}

export function simulatedClock(start: number): SimulatedClock {
  let at = start;
  return {
    now: () => new Date(at),
    set(next: number) {
      at = next;
    },
  };
}

export interface Chance {
  (): number;
  pick<T>(items: readonly T[]): T;
  between(min: number, max: number): number;
  /** True with probability p. */
  odds(p: number): boolean;
  /** A wait with a long tail: mostly near `typical`, sometimes several times longer. */
  tail(typical: number): number;
  /** One of the keys, drawn by its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
}

export function chance(seed: number): Chance {
  const next = seededRandom(seed);
  const c = (() => next()) as Chance;
  c.pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  c.between = (min, max) => min + next() * (max - min);
  c.odds = (p) => next() < p;
  c.tail = (typical) => typical * -Math.log(1 - next() * 0.98);
  c.weighted = <K extends string>(weights: Readonly<Record<K, number>>): K => {
    const entries = Object.entries(weights) as [K, number][];
    let roll = next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) {
      roll -= w;
      if (roll < 0) return key;
    }
    return (entries.at(-1) as [K, number])[0];
  };
  return c;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Shanghai is UTC+8 all year; the shop's people work 09:00–22:00 there (01:00–14:00 UTC). */
const OPEN_UTC_HOUR = 1;
const CLOSE_UTC_HOUR = 14;

/** The same instant, or the next moment the shop's people are at work. */
export function atWork(at: number): number {
  const day = Math.floor(at / DAY) * DAY;
  const open = day + OPEN_UTC_HOUR * HOUR;
  const close = day + CLOSE_UTC_HOUR * HOUR;
  if (at < open) return open;
  if (at >= close) return open + DAY;
  return at;
}

/** `minutes` of working time after `from` (nights do not count, as on the shop's SLA calendar). */
export function afterWorkingMinutes(from: number, minutes: number): number {
  let at = atWork(from);
  let left = minutes * MINUTE;
  for (;;) {
    const close = Math.floor(at / DAY) * DAY + CLOSE_UTC_HOUR * HOUR;
    if (at + left < close) return Math.round(at + left);
    left -= close - at;
    at = atWork(close);
  }
}

export interface Simulation {
  ctx: AppContext;
  workspaceId: string;
  store: WorkspaceStore;
  rand: Chance;
  /** When the history ends (nothing happens after it). */
  end: number;
  now(): number;
  iso(): string;
  /** Time passes. */
  advance(seconds: number): void;
  /** Moves on to `at` (never back). */
  jumpTo(at: number): void;
  /** Runs every job due now, and what those jobs made due. */
  drain(): Promise<void>;
  /** Something to do at `at` (or as soon as the history gets there, if that has passed). */
  later(at: number, act: () => Promise<void>): void;
  /** Does what is due up to `until`, in order, each at its time, draining the worker after each. */
  runAgenda(until: number): Promise<void>;
}

interface Due {
  at: number;
  seq: number;
  act: () => Promise<void>;
}

export function createSimulation(
  ctx: AppContext,
  clock: SimulatedClock,
  options: { workspaceId: string; start: number; end: number; seed: number },
): Simulation {
  let now = options.start;
  clock.set(now);
  const agenda: Due[] = [];
  let seq = 0;
  const set = (at: number) => {
    now = at;
    clock.set(now);
  };
  const sim: Simulation = {
    ctx,
    workspaceId: options.workspaceId,
    store: ctx.db.forWorkspace(options.workspaceId),
    rand: chance(options.seed),
    end: options.end,
    now: () => now,
    iso: () => new Date(now).toISOString(),
    advance(seconds) {
      set(now + Math.max(1, Math.round(seconds * 1000)));
    },
    jumpTo(at) {
      if (at > now) set(at);
    },
    async drain() {
      for (let round = 0; round < 100; round++) if ((await ctx.worker.runDue()) === 0) return;
    },
    later(at, act) {
      if (at >= options.end) return; // after the history: it has not happened yet
      const due: Due = { at, seq: seq++, act };
      // Kept sorted by time, then by when it was planned; the agenda holds a few hundred items.
      let lo = 0;
      let hi = agenda.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const m = agenda[mid] as Due;
        if (m.at < at || (m.at === at && m.seq < due.seq)) lo = mid + 1;
        else hi = mid;
      }
      agenda.splice(lo, 0, due);
    },
    async runAgenda(until) {
      while (agenda.length > 0 && (agenda[0] as Due).at <= until) {
        const due = agenda.shift() as Due;
        sim.jumpTo(due.at);
        // What fell due meanwhile first (an SLA deadline passing), as a running worker would have done.
        await sim.drain();
        await due.act();
        await sim.drain();
      }
    },
  };
  return sim;
}
