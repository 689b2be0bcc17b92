import { describe, expect, it } from 'vitest';
import type { Translate } from '../i18n/catalogue.ts';
import { emotionOption, topicSizesOption } from './charts.ts';

const t = ((key: string) => key) as Translate;
const topic = (label: string, size: number, rising = false) => ({ label, size, estimated: size * 2, rising });

describe('topics charts', () => {
  it('draws the largest topics on top, rising ones in red, long labels cut', () => {
    const option = topicSizesOption([
      topic('发票 · 开票', 5),
      topic('退款 · 到账 · 退款进度查询要多久才能到', 9, true),
    ] as never);
    const yAxis = option.yAxis as { data: string[] };
    expect(yAxis.data).toEqual(['发票 · 开票', '退款 · 到账 · 退款进度查询要…']);
    const series = (option.series as { data: { value: number; itemStyle: { color: string } }[] }[])[0]!;
    expect(series.data.map((d) => d.value)).toEqual([10, 18]);
    expect(series.data[1]!.itemStyle.color).toBe('#ff4d4f');
  });

  it('leaves a gap for a day without messages instead of a neutral mood', () => {
    const bucket = (bucket: string, messages: number, average: number) => ({
      bucket,
      messages,
      average,
      positive: 0,
      neutral: 0,
      negative: 1,
      angry: 0,
      anger: 0,
    });
    const option = emotionOption([bucket('2026-11-20', 3, -0.456), bucket('2026-11-21', 0, 0)], t);
    const line = (option.series as { type: string; data: (number | null)[] }[]).find(
      (s) => s.type === 'line',
    )!;
    expect(line.data).toEqual([-0.46, null]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['11-20', '11-21']);
  });
});
