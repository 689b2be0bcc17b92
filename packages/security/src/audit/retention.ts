// How long audit entries are kept: never less than a year (the brief's and PIPL practice's floor).
import type { AuditEntry } from './chain.ts';

export const MIN_RETENTION_DAYS = 365;
const DAY_MS = 86_400_000;

export const clampRetentionDays = (days: number): number =>
  Number.isFinite(days) ? Math.max(MIN_RETENTION_DAYS, Math.floor(days)) : MIN_RETENTION_DAYS;

/** Entries strictly older than this instant may be purged. */
export const retentionCutoff = (now: Date, days: number): Date =>
  new Date(now.getTime() - clampRetentionDays(days) * DAY_MS);

export interface PurgePlan {
  /** The oldest-first prefix to delete; a purge never leaves a hole in the middle of the chain. */
  purge: AuditEntry[];
  /** Store this before deleting: verification then starts from it (`verifyChain({ anchor })`). */
  checkpoint: { seq: number; hash: string } | null;
}

/** Entries in seq order. Only a contiguous prefix older than the cutoff goes. */
export function planPurge(entries: readonly AuditEntry[], now: Date, days: number): PurgePlan {
  const cutoff = retentionCutoff(now, days).toISOString();
  let n = 0;
  while (n < entries.length && entries[n]!.at < cutoff) n++;
  const last = entries[n - 1];
  return { purge: entries.slice(0, n), checkpoint: last ? { seq: last.seq, hash: last.hash } : null };
}
