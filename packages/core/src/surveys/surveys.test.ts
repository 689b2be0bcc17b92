import { describe, expect, it } from 'vitest';
import { surveyDueAt } from './scheduleSurvey.ts';
import { defaultSurveySettings, type SurveySettings } from './surveys.ts';
import { digitScore } from './surveyText.ts';

const settings: SurveySettings = { ...defaultSurveySettings, enabled: true, delayMinutes: 120 };

describe('surveyDueAt', () => {
  it('adds the delay', () => {
    // 10:00 in Shanghai → 12:00.
    expect(surveyDueAt('2026-11-25T02:00:00.000Z', settings).toISOString()).toBe('2026-11-25T04:00:00.000Z');
  });
  it('waits out the quiet hours in the workspace time zone', () => {
    // Resolved 20:00 in Shanghai: 22:00 is quiet, so 09:00 the next day.
    expect(surveyDueAt('2026-11-25T12:00:00.000Z', settings).toISOString()).toBe('2026-11-26T01:00:00.000Z');
    // Resolved 03:00: 05:00 is quiet too, so 09:00 the same day.
    expect(surveyDueAt('2026-11-24T19:00:00.000Z', settings).toISOString()).toBe('2026-11-25T01:00:00.000Z');
  });
  it('stays within 24 hours at the longest delay', () => {
    const longest = { ...settings, delayMinutes: 720 };
    const resolved = Date.parse('2026-11-25T09:01:00.000Z');
    const due = surveyDueAt(new Date(resolved).toISOString(), longest).getTime();
    expect(due - resolved).toBeLessThanOrEqual(24 * 3_600_000);
  });
  it('has no quiet hours when none are set', () => {
    const open = { ...settings, quietHours: null };
    expect(surveyDueAt('2026-11-25T12:00:00.000Z', open).toISOString()).toBe('2026-11-25T14:00:00.000Z');
  });
});

describe('digitScore', () => {
  it('takes a lone digit 1–5, full-width and with a full stop too', () => {
    expect(digitScore('1')).toBe(1);
    expect(digitScore(' 5 ')).toBe(5);
    expect(digitScore('３')).toBe(3);
    expect(digitScore('4。')).toBe(4);
  });
  it('leaves everything else to the bot', () => {
    for (const text of ['0', '6', '12', '1分', '我要退货', '', '1 2']) expect(digitScore(text)).toBeNull();
  });
});
