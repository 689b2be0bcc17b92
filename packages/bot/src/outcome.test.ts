import { describe, expect, it } from 'vitest';
import { turnOutcome } from './outcome.ts';
import { initialDialogueState, type PendingStep, type ReplyKind, type TurnResult } from './types.ts';

const result = (kinds: ReplyKind[], pending: PendingStep | null = null, handoff = false): TurnResult => ({
  replies: kinds.map((kind) => ({ kind, text: kind })),
  state: { ...initialDialogueState(), pending },
  handoff: handoff ? { reason: 'fallback', priority: 'normal' } : null,
  knowledge: null,
  understanding: {
    intent: null,
    confidence: 0,
    inScope: false,
    candidates: [],
    entities: [],
    sentiment: { polarity: 'neutral', score: 0, anger: 0 } as TurnResult['understanding']['sentiment'],
    urgency: { level: 'none', signals: [] } as unknown as TurnResult['understanding']['urgency'],
    language: 'zh-Hans',
  },
});

describe('turnOutcome', () => {
  it('names what the turn did', () => {
    expect(turnOutcome(result(['handoff'], null, true))).toBe('handed_off');
    expect(turnOutcome(result(['clarify'], { kind: 'clarify', options: ['a', 'b'] }))).toBe('clarified');
    expect(turnOutcome(result(['clarify']))).toBe('fallback');
    expect(turnOutcome(result(['ask'], { kind: 'order_number', intent: 'order', attempts: 0 }))).toBe(
      'form_step',
    );
    // A form's policy (info) followed by its confirmation is still a step of the form.
    const form: PendingStep = { kind: 'form', form: 'refund', values: {}, awaiting: null, attempts: 0 };
    expect(turnOutcome(result(['info', 'confirm'], form))).toBe('form_step');
    expect(turnOutcome(result(['info']))).toBe('action');
    expect(turnOutcome(result(['answer']))).toBe('answered');
    expect(turnOutcome(result([]))).toBe('fallback');
  });
});
