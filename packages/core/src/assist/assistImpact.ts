// Agent assist's switch and what it changed: a workspace may turn reply suggestions off (an LLM bill, a
// trial) and on again; the brief asks for agent throughput +50 % with assist, so the day it was last
// turned on splits time into a before and an after, compared over windows of equal length.

export interface AssistSettings {
  /** Reply suggestions are offered to agents. On unless turned off. */
  enabled: boolean;
  /** When it was last turned on; null: never switched (on since the workspace began). */
  enabledAt: string | null;
  updatedAt: string | null;
}

export interface AssistSettingsRepository {
  get(): Promise<AssistSettings>;
  /** Switches it; `enabledAt` moves only when it goes from off to on. */
  set(enabled: boolean, at: string): Promise<AssistSettings>;
}

/** The brief's target: conversations per online hour up by half with assist. */
export const ASSIST_THROUGHPUT_TARGET = 0.5;

export interface DayWindow {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T12:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / DAY_MS);

/**
 * The days compared around `enabledDay` (the local day assist was turned on, itself left out as half
 * of each): as many whole days after it as have begun by `today` (at most `days`), and as many before it.
 * Null until a day after it has begun.
 */
export function assistImpactWindows(
  enabledDay: string,
  today: string,
  days: number,
): { before: DayWindow; after: DayWindow } | null {
  const n = Math.min(days, daysBetween(enabledDay, today));
  if (n < 1) return null;
  return {
    before: { from: addDays(enabledDay, -n), to: addDays(enabledDay, -1) },
    after: { from: addDays(enabledDay, 1), to: addDays(enabledDay, n) },
  };
}

/** after / before − 1, rounded to 0.1 %; null when either side has no throughput to compare. */
export function throughputChange(before: number | null, after: number | null): number | null {
  if (before === null || after === null || before <= 0) return null;
  return Math.round((after / before - 1) * 1000) / 1000;
}
