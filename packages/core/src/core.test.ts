import { describe, expect, it } from 'vitest';
import { asksForHuman } from './bot/bot.ts';
import { createFaqBot, createKeywordFaqMatcher } from './bot/keywordFaqBot.ts';
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

describe('keyword FAQ bot', () => {
  const faqs = [
    {
      id: 'ship',
      question: '你们发什么快递？多久能到？',
      similar: ['几天能到货'],
      answer: '发顺丰，1–3 天到。',
      keywords: ['快递', '发货'],
    },
    {
      id: 'return',
      question: '可以退换货吗？',
      similar: ['怎么退货'],
      answer: '七天无理由。',
      keywords: ['退货', '退换'],
    },
  ];
  const bot = createFaqBot(async () => ({
    matcher: createKeywordFaqMatcher(faqs),
    faqs: new Map(faqs.map((f) => [f.id, f])),
  }));
  const ask = (text: string) => bot.decide({ workspaceId: 'w', conversationId: 'c', locale: 'zh-CN', text });

  it('answers paraphrases of its questions', async () => {
    expect(await ask('请问一般发什么快递，几天到？')).toMatchObject({ kind: 'answer', source: 'faq:ship' });
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
