// The LLM writers behind the budget: once the month's hard cap is reached they decline without calling
// the model (the bot sends the knowledge base's own answer, the hand-off card its extractive summary, as
// with no LLM at all), and every call they let through is metered in tokens.
import type { KnowledgeAnswerWriter } from '@zhike/core';
import type { HandoffSummaryWriter } from '../assist/handoffSummaryWriter.ts';
import { type CostMeter, estimateTokens } from './costMeter.ts';

export function budgetedAnswerWriter(inner: KnowledgeAnswerWriter, meter: CostMeter): KnowledgeAnswerWriter {
  return {
    async write(request) {
      if (!(await meter.spendAllowed(request.workspaceId))) return { kind: 'declined', reason: 'budget_cap' };
      const answer = await inner.write(request);
      const prompt = [
        request.question,
        ...request.passages.map((p) => `${p.title}\n${p.text}`),
        ...request.history.map((m) => m.text),
      ].join('\n');
      const output = answer.kind === 'written' ? answer.text : '';
      await meter.record(request.workspaceId, 'llm_token', estimateTokens(prompt) + estimateTokens(output));
      return answer;
    },
  };
}

export function budgetedSummaryWriter(inner: HandoffSummaryWriter, meter: CostMeter): HandoffSummaryWriter {
  return {
    async summarise(input) {
      if (!(await meter.spendAllowed(input.workspaceId))) return { kind: 'declined', reason: 'budget_cap' };
      const written = await inner.summarise(input);
      if (written.tokens) await meter.record(input.workspaceId, 'llm_token', written.tokens);
      return written;
    },
  };
}
