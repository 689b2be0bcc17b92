import { describe, expect, it } from 'vitest';
import { asksForHuman } from './bot/bot.ts';
import { createFaqBot, type FaqMatcher } from './bot/faqBot.ts';
import { handOffNotice } from './conversations/handOffConversation.ts';
import { createIdGenerator, isId } from './ids.ts';
import { retryDelayMs } from './jobs.ts';
import { rolePermissions } from './permissions.ts';

describe('ids', () => {
  it('are UUIDv7, unique and sortable even within one millisecond', () => {
    const newId = createIdGenerator({ now: () => new Date(1_700_000_000_000) });
    const ids = Array.from({ length: 5000 }, newId);
    expect(ids.every(isId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('FAQ bot', () => {
  const faqs = [
    {
      id: 'ship',
      question: '你们发什么快递？',
      similar: [],
      answer: '发顺丰，1–3 天到。',
      keywords: ['快递'],
    },
    { id: 'return', question: '可以退换货吗？', similar: [], answer: '七天无理由。', keywords: ['退货'] },
  ];
  // The retrieval itself is @zhike/nlu's job; here a stub stands in so the bot's rules are what is tested.
  const matcher: FaqMatcher = {
    answer: (query) =>
      query.includes('快递')
        ? { id: 'ship', score: 0.9, answerable: true }
        : query.includes('退')
          ? { id: 'return', score: 0.8, answerable: true }
          : { id: 'ship', score: 0.1, answerable: false },
  };
  const bot = createFaqBot(async () => ({ matcher, faqs: new Map(faqs.map((f) => [f.id, f])) }));
  const ask = (text: string) => bot.decide({ workspaceId: 'w', conversationId: 'c', locale: 'zh-CN', text });

  it('answers with the matched entry when the matcher finds it answerable', async () => {
    expect(await ask('请问一般发什么快递，几天到？')).toEqual({
      kind: 'answer',
      text: '发顺丰，1–3 天到。',
      source: 'faq:ship',
      confidence: 0.9,
    });
    expect(await ask('我想退货怎么弄')).toMatchObject({ kind: 'answer', source: 'faq:return' });
  });
  it('hands off when nothing matches, or when a person is asked for', async () => {
    expect(await ask('今天天气真好')).toEqual({ kind: 'handoff', reason: 'no_answer' });
    expect(await ask('快递太慢了，转人工')).toEqual({ kind: 'handoff', reason: 'customer_asked' });
    expect(asksForHuman('Can I talk to a real person?')).toBe(true);
  });
  it('tells the customer in the workspace language', () => {
    expect(handOffNotice('zh-CN', 'no_answer')).toContain('人工');
    expect(handOffNotice('en-US', 'customer_asked')).toMatch(/team/);
  });
});

describe('permissions and jobs', () => {
  it('lets agents reply but not manage keys or assign others', () => {
    expect(rolePermissions.agent.has('conversations.reply')).toBe(true);
    expect(rolePermissions.agent.has('api_keys.manage')).toBe(false);
    expect(rolePermissions.agent.has('conversations.assign_others')).toBe(false);
    expect(rolePermissions.supervisor.has('conversations.assign_others')).toBe(true);
    expect(rolePermissions.owner.has('api_keys.manage')).toBe(true);
  });
  it('backs off exponentially up to ten minutes', () => {
    expect([1, 2, 3].map(retryDelayMs)).toEqual([2000, 4000, 8000]);
    expect(retryDelayMs(30)).toBe(600_000);
  });
});
