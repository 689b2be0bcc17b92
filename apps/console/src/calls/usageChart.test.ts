import type { VoiceUsage } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import { usageOption } from './usageChart.ts';

const numbers = { calls: 1, inboundSeconds: 0, outboundSeconds: 0, asrSeconds: 0, ttsCharacters: 0 };

describe('usageOption', () => {
  it('stacks inbound and outbound minutes per day, labelled in the reader’s language', () => {
    const usage: VoiceUsage = {
      days: [
        { day: '2026-11-24', ...numbers, inboundMinutes: 3, outboundMinutes: 1 },
        { day: '2026-11-25', ...numbers, inboundMinutes: 0, outboundMinutes: 2 },
      ],
      totals: { ...numbers, calls: 2, inboundMinutes: 3, outboundMinutes: 3 },
    };
    const option = usageOption(usage, (key) => `«${key}»`);
    expect(option.xAxis).toMatchObject({ data: ['11-24', '11-25'] });
    const series = option.series as { name: string; data: number[] }[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['«speech.usage.inbound»', [3, 0]],
      ['«speech.usage.outbound»', [1, 2]],
    ]);
  });
});
