// The LLM knowledge-answer writer behind the budget: once the month's hard cap is reached it declines
// without calling the model (the bot sends the knowledge base's own answer, as with no LLM at all), and
// every call it lets through is metered in tokens.
import type { KnowledgeAnswerWriter } from '@zhike/core';
import { type CostMeter, estimateTokens } from './costMeter.ts';

export function budgetedAnswerWriter(inner: KnowledgeAnswerWriter, meter: CostMeter): KnowledgeAnswerWriter {
  return {
    async write(request) {
      if (!(await meter.llmAllowed(request.workspaceId))) return { kind: 'declined', reason: 'budget_cap' };
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
