// Retention policies: which day-limits apply, and the instant before which data goes.
import { DomainError } from '../errors.ts';
import type { RetentionPolicy } from './privacy.ts';

/** A week at least, so a typo cannot wipe yesterday's conversations; ten years at most. */
export const RETENTION_MIN_DAYS = 7;
export const RETENTION_MAX_DAYS = 3650;

export function validateRetention(policy: Omit<RetentionPolicy, 'updatedAt'>): void {
  for (const [field, days] of Object.entries(policy))
    if (days !== null && (!Number.isInteger(days) || days < RETENTION_MIN_DAYS || days > RETENTION_MAX_DAYS))
      throw new DomainError(
        'validation_failed',
        `${field} must be null (keep) or ${RETENTION_MIN_DAYS}–${RETENTION_MAX_DAYS} days`,
      );
}

/** ISO instant before which data of that kind is deleted; null = keep. */
export const retentionCutoff = (now: Date, days: number | null): string | null =>
  days === null ? null : new Date(now.getTime() - days * 86_400_000).toISOString();
