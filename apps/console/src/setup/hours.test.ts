import { describe, expect, it } from 'vitest';
import { DEFAULT_HOURS, fromBusinessHours, hoursText, normaliseClock, toBusinessHours } from './hours.ts';

describe('opening hours in the wizard', () => {
  it('accepts what people type for a time and refuses the rest', () => {
    expect(normaliseClock('9:00')).toBe('09:00');
    expect(normaliseClock(' 21：30 ')).toBe('21:30');
    expect(normaliseClock('0930')).toBe('09:30');
    expect(normaliseClock('24:00')).toBeNull();
    expect(normaliseClock('24:00', true)).toBe('24:00');
    expect(normaliseClock('25:00', true)).toBeNull();
    expect(normaliseClock('noon')).toBeNull();
  });

  it('says the hours in the bot’s language and stores the same days as periods', () => {
    const form = { preset: 'weekdays', open: '10:00', close: '19:30' } as const;
    expect(hoursText(form, 'zh-CN')).toBe('周一至周五 10:00–19:30');
    expect(hoursText(form, 'en-US')).toBe('Mon–Fri 10:00–19:30');
    const hours = toBusinessHours(form);
    expect(hours).toEqual({
      timeZone: 'Asia/Shanghai',
      periods: [{ days: [1, 2, 3, 4, 5], open: '10:00', close: '19:30' }],
    });
    expect(fromBusinessHours(hours)).toEqual(form);
  });

  it('falls back to the default for hours it cannot show as one preset', () => {
    expect(fromBusinessHours(null)).toEqual(DEFAULT_HOURS);
    expect(
      fromBusinessHours({
        timeZone: 'Asia/Shanghai',
        periods: [
          { days: [1], open: '09:00', close: '12:00' },
          { days: [1], open: '14:00', close: '18:00' },
        ],
      }),
    ).toEqual(DEFAULT_HOURS);
  });
});
