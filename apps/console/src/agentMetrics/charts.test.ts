import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/catalogue.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { durationUnit, formatDuration, inUnit, perAgentOption } from './charts.ts';

const t = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) =>
  translate(zhCN, key, vars);

describe('agent metrics charts', () => {
  it('reads durations the way people say them', () => {
    expect(formatDuration(null, t)).toBe('—');
    expect(formatDuration(45, t)).toBe('45 秒');
    expect(formatDuration(200, t)).toBe('3 分 20 秒');
    expect(formatDuration(3900, t)).toBe('1 小时 5 分');
    const minutes = durationUnit([30, 600], t);
    expect(minutes).toEqual({ size: 60, label: '分钟' });
    expect(inUnit(90, minutes)).toBe(1.5);
    expect(inUnit(null, minutes)).toBeNull();
    // A fast team: every duration under two minutes is drawn in seconds, not as bars of 0.
    expect(durationUnit([9, 3, null], t)).toEqual({ size: 1, label: '秒' });
  });

  it('puts the busiest agent first and leaves gaps where there is nothing to average', () => {
    const row = (name: string, handled: number, frt: number | null) =>
      ({ name, handled, firstResponseSeconds: frt, handleSeconds: handled ? 600 : null }) as never;
    const option = perAgentOption([row('乙', 1, 60), row('甲', 3, 120), row('丙', 0, null)], t);
    expect((option.xAxis as { data: string[] }).data).toEqual(['甲', '乙', '丙']);
    const [frt, handle] = option.series as { data: (number | null)[] }[];
    expect(option.yAxis).toMatchObject({ name: '分钟' });
    expect(frt?.data).toEqual([2, 1, null]);
    expect(handle?.data).toEqual([10, 10, null]);
  });
});
