import { describe, expect, it } from 'vitest';
import { catalogues, type Translate, translate, type UiLocale } from '../i18n/catalogue.ts';
import { inputText } from './inputText.ts';

const createTranslator =
  (locale: UiLocale): Translate =>
  (key, vars) =>
    translate(catalogues[locale], key, vars);

describe("routing input values in the agent's language", () => {
  it('names known values and keeps the rest as recorded', () => {
    const zh = createTranslator('zh-CN');
    expect(inputText('sentiment', 'negative', zh)).toBe('负面');
    expect(inputText('urgency', 'critical', zh)).toBe('危急');
    expect(inputText('channel', 'sms', zh)).toBe('短信');
    expect(inputText('tier', 'vip', zh)).toBe('VIP');
    expect(inputText('handoffReason', 'customer_request', zh)).toBe('顾客要求人工');
    expect(inputText('handoffReason', 'complaint:grave', zh)).toBe('严重投诉（威胁 / 安全）');
    expect(inputText('intent', 'refund_request', zh)).toBe('refund_request');
    expect(inputText('sentiment', 'puzzled', zh)).toBe('puzzled');
    expect(inputText('urgency', 'high', createTranslator('en-US'))).toBe('High');
  });
});
