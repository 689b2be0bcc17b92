// What counts as sending a suggestion unchanged (accepted) rather than edited.
import { describe, expect, it } from 'vitest';
import { sentAsSuggested } from './useSuggestions.ts';

describe('sentAsSuggested', () => {
  it('ignores whitespace and lets a variable the server fills match its value', () => {
    expect(sentAsSuggested('您好 {{customer.name}}，退款 1–3 天到账。', '您好王芳，退款 1–3 天到账。')).toBe(
      true,
    );
    expect(sentAsSuggested('退款 1–3 天到账 (原路退回)', '退款1–3天到账(原路退回)')).toBe(true);
  });

  it('sees any other change as an edit', () => {
    expect(sentAsSuggested('退款 1–3 天到账。', '退款 1–3 天到账，请留意。')).toBe(false);
    expect(sentAsSuggested('您好 {{customer.name}}，退款到账。', '您好王芳，退款已经到账。')).toBe(false);
  });
});
