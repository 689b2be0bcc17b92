// What the suggestions answer when the customer's latest message only asks for a person: the newest
// earlier message the bot understood, so a refund conversation handed off with "转人工" still gets the
// refund wording; any other message is answered for itself.
import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../model.ts';
import { type AssistUnderstanding, type RecommendRepliesDeps, recommendReplies } from './recommendReplies.ts';
import { buildReplyHistoryIndex } from './replyHistory.ts';

const understood: Record<string, AssistUnderstanding> = {
  我要退款: { intent: 'refund_request', intents: ['refund_request'], knowledge: [] },
  转人工: {
    intent: 'human_agent',
    intents: ['human_agent'],
    knowledge: [{ id: 'contact', title: '怎么联系人工客服？', text: '发送「转人工」即可', score: 0.7 }],
    asksForPerson: true,
  },
  你们发什么快递: {
    intent: 'faq:courier',
    intents: ['faq:courier'],
    knowledge: [{ id: 'courier', title: '发什么快递', text: '默认顺丰', score: 0.9 }],
  },
};

const message = (n: number, text: string): Message =>
  ({ id: `m${n}`, conversationId: 'c1', author: 'customer', text }) as Message;

function deps(earlier: readonly Message[], read: string[] = []): RecommendRepliesDeps {
  return {
    understand: async (text) => {
      read.push(text);
      return understood[text] ?? { intent: null, intents: [], knowledge: [] };
    },
    templates: async () => [
      {
        id: 'refund',
        title: '退款时效（合规）',
        body: '订单 {{order.number}} 的退款 1–2 个工作日内办理',
        intents: ['refund_request'],
        compliance: true,
      },
    ],
    history: async () => buildReplyHistoryIndex([]),
    earlierCustomerMessages: async (limit) => earlier.slice(0, limit),
    fill: async (text) => ({ text: text.replace('{{order.number}}', 'ZK20261125003'), missing: [] }),
    now: new Date('2026-11-26T03:00:00Z'),
  };
}

const conversation = { id: 'c1' } as Conversation;

describe('recommendReplies subject', () => {
  it('answers what the customer told the bot before asking for a person', async () => {
    // Newest first: the bare order number (understood as nothing) is passed over for the refund request.
    const earlier = [message(2, 'ZK20261125003'), message(1, '我要退款')];
    const result = await recommendReplies(deps(earlier), { conversation, message: message(3, '转人工') });
    expect(result).toMatchObject({ messageId: 'm3', intent: 'refund_request' });
    expect(result.suggestions[0]).toMatchObject({
      pinned: true,
      source: { kind: 'template', id: 'refund' },
      text: '订单 ZK20261125003 的退款 1–2 个工作日内办理',
    });
  });

  it('keeps the request itself when nothing earlier was understood', async () => {
    const result = await recommendReplies(deps([message(1, '在吗')]), {
      conversation,
      message: message(2, '转人工'),
    });
    expect(result.intent).toBe('human_agent');
    expect(result.suggestions.map((s) => s.source.id)).toEqual(['contact']);
  });

  it('answers any other message for itself without reading the earlier ones', async () => {
    const read: string[] = [];
    const result = await recommendReplies(deps([message(1, '我要退款')], read), {
      conversation,
      message: message(2, '你们发什么快递'),
    });
    expect(result.intent).toBe('faq:courier');
    expect(read).toEqual(['你们发什么快递']);
  });
});
