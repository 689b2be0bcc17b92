// Input checks shared by the segment and campaign use cases.

import { isTimeOfDay } from '../campaigns/quietHours.ts';
import { DomainError } from '../errors.ts';
import { unknownVariables } from './offer.ts';
import { type OfferVariant, OUTREACH_LIMITS, type SegmentRule } from './outreach.ts';

export const invalid = (message: string) => new DomainError('validation_failed', message);

const days = (value: number | null, name: string) => {
  if (value !== null && !(Number.isInteger(value) && value >= 1 && value <= 3650))
    throw invalid(`${name} must be 1–3650 days`);
};

export function checkSegmentRule(rule: SegmentRule): SegmentRule {
  days(rule.noOrderForDays, 'noOrderForDays');
  days(rule.noContactForDays, 'noContactForDays');
  for (const [name, v] of [
    ['rfmMin', rule.rfmMin],
    ['rfmMax', rule.rfmMax],
  ] as const)
    if (v !== null && !(Number.isInteger(v) && v >= 3 && v <= 15)) throw invalid(`${name} must be 3–15`);
  if (rule.rfmMin !== null && rule.rfmMax !== null && rule.rfmMin > rule.rfmMax)
    throw invalid('rfmMin is above rfmMax');
  return {
    ...rule,
    tags: [...new Set(rule.tags.map((t) => t.trim()).filter(Boolean))],
    tiers: [...new Set(rule.tiers)],
  };
}

export function checkVariants(variants: readonly OfferVariant[], channel: string): OfferVariant[] {
  if (variants.length === 0) throw invalid('at least one offer variant is required');
  if (variants.length > OUTREACH_LIMITS.maxVariants)
    throw invalid(`at most ${OUTREACH_LIMITS.maxVariants} variants`);
  const keys = new Set<string>();
  return variants.map((v) => {
    const key = v.key.trim();
    const text = v.text.trim();
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(key) || keys.has(key))
      throw invalid('variant keys are unique, 1–16 letters');
    keys.add(key);
    if (!text) throw invalid(`variant ${key} has no text`);
    if ([...text].length > OUTREACH_LIMITS.textLength)
      throw invalid(`variant ${key} is longer than ${OUTREACH_LIMITS.textLength} characters`);
    const unknown = unknownVariables(`${text} ${v.subject ?? ''}`);
    if (unknown.length > 0) throw invalid(`variant ${key} uses unknown variables: ${unknown.join(', ')}`);
    if (!(Number.isInteger(v.weight) && v.weight >= 1 && v.weight <= 100))
      throw invalid(`variant ${key} weight must be 1–100`);
    const subject = v.subject?.trim() || null;
    if (channel === 'email' && !subject) throw invalid(`variant ${key} needs an email subject`);
    if (subject && [...subject].length > OUTREACH_LIMITS.subjectLength) throw invalid('subject is too long');
    return { key, weight: v.weight, subject, text };
  });
}

export function checkTimeOfDayPair(quiet: { start: string; end: string } | null) {
  if (quiet && !(isTimeOfDay(quiet.start) && isTimeOfDay(quiet.end)))
    throw invalid('quiet hours are "HH:MM" times');
}

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
