import { describe, expect, it } from 'vitest';
import {
  callCosts,
  capReached,
  costEfficiency,
  costMicro,
  DEFAULT_BUDGET,
  monthRange,
  priceOf,
  sendingCost,
  smsSegments,
  thresholdsReached,
} from './model.ts';

describe('cost arithmetic', () => {
  it('prices units at the defaults unless the workspace overrides them', () => {
    expect(costMicro('bot_interaction', 3, DEFAULT_BUDGET)).toBe(150_000); // 3 × 0.05 元
    expect(costMicro('llm_token', 2500, DEFAULT_BUDGET)).toBe(10_000); // 2,500 × 0.000004 元 = 0.01 元
    const own = { ...DEFAULT_BUDGET, prices: { bot_interaction: 0.03, llm_token: -1 } };
    expect(priceOf('bot_interaction', own)).toBe(0.03);
    expect(priceOf('llm_token', own)).toBe(0.000004); // a negative price is ignored
  });

  it('announces 50/80/100 % and caps only with a budget and the cap on', () => {
    const budget = { ...DEFAULT_BUDGET, monthlyYuan: 10, hardCap: true };
    expect(thresholdsReached(4_999_999, budget)).toEqual([]);
    expect(thresholdsReached(5_000_000, budget)).toEqual([50]);
    expect(thresholdsReached(8_100_000, budget)).toEqual([50, 80]);
    expect(thresholdsReached(10_000_000, budget)).toEqual([50, 80, 100]);
    expect(capReached(10_000_000, budget)).toBe(true);
    expect(capReached(9_999_999, budget)).toBe(false);
    expect(capReached(20_000_000, { ...budget, hardCap: false })).toBe(false);
    expect(thresholdsReached(20_000_000, { ...budget, monthlyYuan: null })).toEqual([]);
  });

  it('knows the days of a month, leap years included', () => {
    expect(monthRange('2028-02-14')).toEqual({ month: '2028-02', from: '2028-02-01', to: '2028-02-29' });
    expect(monthRange('2026-11-26')).toEqual({ month: '2026-11', from: '2026-11-01', to: '2026-11-30' });
  });

  it('counts SMS segments as carriers bill them', () => {
    expect(smsSegments('')).toBe(0);
    expect(smsSegments('a'.repeat(160))).toBe(1); // GSM 7-bit: 160 in one
    expect(smsSegments('a'.repeat(161))).toBe(2); // then 153 a segment
    expect(smsSegments('a'.repeat(306))).toBe(2);
    expect(smsSegments('a'.repeat(307))).toBe(3);
    expect(smsSegments('您'.repeat(70))).toBe(1); // UCS-2: 70 in one
    expect(smsSegments('您'.repeat(71))).toBe(2); // then 67 a segment
    expect(smsSegments('您'.repeat(135))).toBe(3);
    expect(smsSegments(`${'a'.repeat(100)}好`)).toBe(2); // one Chinese character makes it UCS-2
    expect(sendingCost('sms', '您好')).toEqual({ unit: 'sms_segment', quantity: 1 });
    expect(sendingCost('email', 'x'.repeat(5000))).toEqual({ unit: 'email', quantity: 1 });
    expect(sendingCost('wechat', '您好')).toBeNull();
    expect(sendingCost('web', '您好')).toBeNull();
  });

  it('works out the cost per resolution and the savings against the agent cost', () => {
    // 120 元 spent, 400 resolved, 300 of them by the bot alone, 5 元 a human-handled conversation.
    expect(costEfficiency(120_000_000, 400, 300, DEFAULT_BUDGET)).toEqual({
      resolved: 400,
      botResolved: 300,
      costPerResolutionYuan: 0.3,
      estimatedSavingsYuan: 1380, // 300 × 5 − 120
    });
    expect(costEfficiency(2_000_000, 0, 0, DEFAULT_BUDGET)).toEqual({
      resolved: 0,
      botResolved: 0,
      costPerResolutionYuan: null,
      estimatedSavingsYuan: -2,
    });
  });

  it('bills a phone call by started minute and only cloud speech engines by use', () => {
    const call = { talkSeconds: 61, asrSeconds: 20.2, ttsCharacters: 140 };
    expect(
      callCosts({ ...call, transport: 'sip', recognizerId: 'tencent', synthesizerId: 'aliyun' }),
    ).toEqual([
      { unit: 'call_minute', quantity: 2 },
      { unit: 'asr_second', quantity: 21 },
      { unit: 'tts_character', quantity: 140 },
    ]);
    expect(
      callCosts({ ...call, transport: 'webrtc', recognizerId: 'sherpa-onnx', synthesizerId: 'espeak-ng' }),
    ).toEqual([]);
    expect(callCosts({ ...call, transport: 'sip', recognizerId: 'none', synthesizerId: 'openai' })).toEqual([
      { unit: 'call_minute', quantity: 2 },
      { unit: 'tts_character', quantity: 140 },
    ]);
  });
});
