import { describe, expect, it } from 'vitest';
import { checkTemplateIntents } from './compile.ts';
import { targetLabel, turnOutcome } from './outcome.ts';
import type { BotTemplate, TemplateIntent } from './template.ts';
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
    handoff: 'person',
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

const intent = (fields: Partial<TemplateIntent>): TemplateIntent => ({
  name: 'order_status',
  examples: ['帮我查一下我的订单', '订单到哪了', '查物流'],
  handler: { type: 'reply', text: 'x' },
  ...fields,
});
const bot = (intents: TemplateIntent[]) => ({
  template: {
    id: 't',
    locale: 'zh-CN',
    faqs: [{ id: 'shipping', question: '多久发货？', answer: '48 小时内' }],
    intents,
  } satisfies BotTemplate,
});

describe('targetLabel', () => {
  it('names an intent by its label, else its description, else its first example', () => {
    const description = '查询自己某个订单的状态';
    expect(targetLabel(bot([intent({ label: '订单查询', description })]), 'order_status')).toBe('订单查询');
    expect(targetLabel(bot([intent({ description })]), 'order_status')).toBe(description);
    expect(targetLabel(bot([intent({})]), 'order_status')).toBe('帮我查一下我的订单');
  });

  it('names a FAQ by its question, and nothing it does not know', () => {
    const labelled = bot([intent({ label: '订单查询' })]);
    expect(targetLabel(labelled, 'faq:shipping')).toBe('多久发货？');
    expect(targetLabel(labelled, 'faq:nope')).toBeNull();
    expect(targetLabel(labelled, 'refund_request')).toBeNull();
    expect(targetLabel(labelled, null)).toBeNull();
  });
});

describe('checkTemplateIntents', () => {
  it('accepts no label or a short one and refuses a blank or overlong one', () => {
    expect(() =>
      checkTemplateIntents(bot([intent({}), intent({ name: 'b', label: '订单查询' })]).template),
    ).not.toThrow();
    expect(() => checkTemplateIntents(bot([intent({ label: '' })]).template)).toThrow(/order_status label/);
    expect(() => checkTemplateIntents(bot([intent({ label: ' 投诉' })]).template)).toThrow(
      /order_status label/,
    );
    // Sixteen Hanzi fit (counted in characters, not bytes); seventeen do not.
    expect(() => checkTemplateIntents(bot([intent({ label: '查'.repeat(16) })]).template)).not.toThrow();
    expect(() => checkTemplateIntents(bot([intent({ label: '查'.repeat(17) })]).template)).toThrow(
      /at most 16 characters/,
    );
  });
});
