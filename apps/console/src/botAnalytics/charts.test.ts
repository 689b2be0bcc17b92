import { describe, expect, it } from 'vitest';
import { catalogues, type MessageKey, translate } from '../i18n/catalogue.ts';
import { dailyOption, reasonLabel, reasonsOption } from './charts.ts';

const zh = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) =>
  translate(catalogues['zh-CN'], key, vars);
const en = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) =>
  translate(catalogues['en-US'], key, vars);

describe('bot analytics charts', () => {
  it('names hand-off reasons in the reader’s language; urgency signals read as one kind', () => {
    expect(reasonLabel('customer_request', zh)).toBe('顾客要求人工');
    expect(reasonLabel('fallback', en)).toBe('Not understood twice');
    expect(reasonLabel('complaint:grave', en)).toBe('Grave complaint (threat / safety)');
    expect(reasonLabel('urgency:regulator,media', zh)).toBe(reasonLabel('urgency:high', zh));
    expect(reasonLabel('a_new_reason', zh)).toBe('a_new_reason');
  });

  it('plots one point per day and the most frequent reason on top', () => {
    const day = (d: string, turns: number) => ({
      day: d,
      turns,
      conversations: 1,
      answered: 1,
      fallbacks: 0,
      handoffs: 0,
    });
    const daily = dailyOption([day('2026-11-24', 3), day('2026-11-25', 5)], zh);
    expect(daily.xAxis).toMatchObject({ data: ['11-24', '11-25'] });
    expect((daily.series as { data: number[] }[])[0]!.data).toEqual([3, 5]);
    const reasons = reasonsOption(
      [
        { reason: 'fallback', count: 4 },
        { reason: 'customer_request', count: 1 },
      ],
      zh,
    );
    // ECharts draws categories bottom-up: the first (largest) reason goes last.
    expect(reasons.yAxis).toMatchObject({ data: ['顾客要求人工', '多次没听懂'] });
    expect((reasons.series as { data: number[] }[])[0]!.data).toEqual([1, 4]);
  });
});
