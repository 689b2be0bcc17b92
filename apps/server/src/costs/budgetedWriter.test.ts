// The LLM writers behind the budget, with a meter that says whether spending is allowed: at the cap the
// model is never called and the caller's own fallback is used; below it the call goes through and the
// tokens it billed are metered.
import type { CostUnit } from '@zhike/core';
import { describe, expect, it } from 'vitest';
import type { HandoffSummaryWriter } from '../assist/handoffSummaryWriter.ts';
import { budgetedSummaryWriter } from './budgetedWriter.ts';
import type { CostMeter } from './costMeter.ts';

function meter(allowed: boolean) {
  const recorded: { workspaceId: string; unit: CostUnit; quantity: number }[] = [];
  const m: CostMeter = {
    async record(workspaceId, unit, quantity) {
      recorded.push({ workspaceId, unit, quantity });
    },
    spendAllowed: async () => allowed,
    summary: async () => {
      throw new Error('not used');
    },
  };
  return { m, recorded };
}

const input = {
  workspaceId: 'ws-1',
  conversationId: 'c-1',
  language: 'zh' as const,
  customerMessages: ['我的订单还没到'],
  slots: {},
  intentLabel: '物流查询',
  reason: 'asked_for_human',
};

describe('the hand-off summary writer behind the budget', () => {
  it('declines at the cap without calling the model', async () => {
    let calls = 0;
    const inner: HandoffSummaryWriter = {
      async summarise() {
        calls++;
        return { kind: 'written', text: '客户询问物流。', tokens: 120 };
      },
    };
    const { m, recorded } = meter(false);
    expect(await budgetedSummaryWriter(inner, m).summarise(input)).toEqual({
      kind: 'declined',
      reason: 'budget_cap',
    });
    expect(calls).toBe(0);
    expect(recorded).toEqual([]);
  });

  it('meters the tokens of every call it lets through, declined answers too', async () => {
    const answers = [
      { kind: 'written' as const, text: '客户询问物流。', tokens: 120 },
      { kind: 'declined' as const, reason: 'too_long', tokens: 480 },
      { kind: 'declined' as const, reason: 'timeout' },
    ];
    const inner: HandoffSummaryWriter = {
      summarise: async () => answers.shift() ?? { kind: 'declined', reason: 'x' },
    };
    const { m, recorded } = meter(true);
    const writer = budgetedSummaryWriter(inner, m);
    expect((await writer.summarise(input)).kind).toBe('written');
    expect((await writer.summarise(input)).kind).toBe('declined');
    expect((await writer.summarise(input)).kind).toBe('declined');
    expect(recorded).toEqual([
      { workspaceId: 'ws-1', unit: 'llm_token', quantity: 120 },
      { workspaceId: 'ws-1', unit: 'llm_token', quantity: 480 },
    ]);
  });
});
