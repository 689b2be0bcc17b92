// What counts as sending a suggestion unchanged (accepted) rather than edited.
import { describe, expect, it } from 'vitest';
import { newer, sentAsSuggested } from './useSuggestions.ts';

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

describe('newer', () => {
  it('keeps the suggestions of a later customer message over a load that answers late', () => {
    const earlier = '01a21614-ae75-7312-96aa-3d9e0c07b48e';
    const later = '01a21614-b4e7-7089-b27c-e7a858196a12';
    expect(newer(later, earlier)).toBe(true);
    expect(newer(earlier, later)).toBe(false);
    expect(newer(later, later)).toBe(false);
    expect(newer(null, earlier)).toBe(false);
  });
});
