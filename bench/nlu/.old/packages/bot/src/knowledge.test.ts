// The bot answering from a workspace knowledge base: its own FAQ entries instead of the template's,
// article passages quoted with their source, and the passages handed to the host on each turn.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledBot, compileBot, compiledBotFromJSON } from './compile.ts';
import { knowledgeFromTemplate, plainText, splitArticle } from './knowledge.ts';
import type { BotTemplate } from './template.ts';
import { conversation, recordingPorts, texts } from './test-support.ts';

const template = JSON.parse(
  readFileSync(new URL('../../../templates/retail/zh-CN.json', import.meta.url), 'utf8'),
) as BotTemplate;

const tradeIn = {
  id: 'art-1',
  title: '以旧换新活动规则',
  sourceUrl: 'https://shop.example/help/trade-in',
  body: [
    '# 以旧换新活动规则',
    '',
    '活动长期有效，旧机不限品牌。',
    '',
    '## 旧机怎么估价',
    '旧机寄到后 **2 个工作日**内由质检员评估，估价结果在「我的-以旧换新」查看。',
    '',
    '## 补贴怎么发放',
    '确认估价后，补贴直接抵扣新机货款，新机当天发出。',
    '',
    '- 旧机需能正常开机',
    '- 估价确认后旧机不退回',
  ].join('\n'),
};

describe('article passages', () => {
  it('splits by heading into plain-text passages with ids in reading order', () => {
    const passages = splitArticle(tradeIn);
    expect(passages.map((p) => [p.id, p.heading])).toEqual([
      ['art-1#1', '以旧换新活动规则'],
      ['art-1#2', '旧机怎么估价'],
      ['art-1#3', '补贴怎么发放'],
    ]);
    expect(passages[1]?.text).toBe('旧机寄到后 2 个工作日内由质检员评估，估价结果在「我的-以旧换新」查看。');
    expect(passages[2]?.text).toContain('• 旧机需能正常开机');
    expect(passages.every((p) => p.sourceUrl === tradeIn.sourceUrl)).toBe(true);
  });

  it('packs paragraphs up to a chat-sized passage without cutting one', () => {
    const paragraph = '这是一段用来测试的说明文字。'.repeat(10);
    const passages = splitArticle({ id: 'a', title: 't', body: Array(5).fill(paragraph).join('\n\n') });
    expect(passages.length).toBeGreaterThan(1);
    for (const p of passages) expect(p.text.split('\n').every((line) => line === paragraph)).toBe(true);
  });

  it('turns Markdown into the text a chat bubble shows', () => {
    expect(plainText('见 [退货说明](https://x.test/r) 和 `代码`，*注意* __重点__')).toBe(
      '见 退货说明 (https://x.test/r) 和 代码，注意 重点',
    );
  });
});

describe('a bot compiled from a workspace knowledge base', () => {
  let bot: CompiledBot;
  const kb = knowledgeFromTemplate(template);
  const hours = kb.faqs.find((f) => f.id === 'opening-hours')!;

  beforeAll(() => {
    bot = compileBot({
      template,
      variables: { 'shop.hours': '每天 8:00–20:00' },
      knowledge: {
        faqs: [
          // The owner rewrote the hours answer; ids are the workspace's own.
          ...kb.faqs.filter((f) => f !== hours).map((f) => ({ ...f, id: `kb-${f.id}` })),
          { ...hours, id: 'kb-hours', answer: '客服在线 {{shop.hours}}，{{customer.name}}您好。' },
          {
            id: 'kb-own',
            question: '可以带宠物进店吗',
            similar: ['能带狗狗去门店吗', '门店允许宠物进入吗', '猫咪可以一起进店吗'],
            answer: '欢迎带宠物进店，请全程牵绳。',
          },
        ],
        articles: [tradeIn],
      },
    });
  });

  it('answers from the workspace entries with variables and customer values filled', async () => {
    const c = conversation(bot, recordingPorts([]), { customer: { id: 'c1', name: '王女士' } });
    const r = await c.say('你们几点关门');
    expect(r.understanding.intent).toBe('faq:kb-hours');
    expect(texts(r)).toBe('客服在线 每天 8:00–20:00，王女士您好。');
    expect(r.knowledge?.passages[0]).toEqual({
      id: 'kb-hours',
      kind: 'faq',
      title: hours.question,
      text: '客服在线 每天 8:00–20:00，王女士您好。',
      score: r.understanding.confidence,
      url: null,
    });
    expect(r.knowledge!.passages.length).toBeLessThanOrEqual(3);
    expect(JSON.parse(JSON.stringify(r.knowledge))).toEqual(r.knowledge);
  });

  it('answers an owner-written entry the template never had', async () => {
    const r = await conversation(bot, recordingPorts([])).say('我能带我家狗进你们店里吗');
    expect(r.understanding.intent).toBe('faq:kb-own');
    expect(texts(r)).toBe('欢迎带宠物进店，请全程牵绳。');
  });

  it('answers from an article passage and names its source', async () => {
    const r = await conversation(bot, recordingPorts([])).say('旧机寄过去以后多久出估价结果');
    expect(r.understanding.intent).toBe('faq:article:art-1#2');
    expect(texts(r)).toContain('2 个工作日内由质检员评估');
    expect(texts(r)).toContain('《以旧换新活动规则》 https://shop.example/help/trade-in');
    expect(r.knowledge?.passages[0]).toMatchObject({
      id: 'art-1#2',
      kind: 'article',
      title: '以旧换新活动规则 · 旧机怎么估价',
      url: tradeIn.sourceUrl,
    });
  });

  it('hands no passages over when a dialogue intent handles the turn', async () => {
    const r = await conversation(bot, recordingPorts([])).say('我要申请退款');
    expect(r.understanding.intent).toBe('refund_request');
    expect(r.knowledge).toBeNull();
  });

  it('keeps the knowledge base through a JSON round trip', async () => {
    const restored = compiledBotFromJSON(JSON.parse(JSON.stringify(bot.toJSON())));
    const r = await conversation(restored, recordingPorts([])).say('旧机寄过去以后多久出估价结果');
    expect(r.understanding.intent).toBe('faq:article:art-1#2');
  });
});

describe('a knowledge base seeded from the template', () => {
  it('understands the retail test suite exactly as the template’s own FAQs do, whatever the entry ids', async () => {
    const suite = readFileSync(
      new URL('../../../templates/retail/tests.zh-CN.jsonl', import.meta.url),
      'utf8',
    )
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { text: string });
    const kb = knowledgeFromTemplate(template);
    // Workspace entries get database ids; the bot must not care.
    const ids = new Map(
      kb.faqs.map((f, i) => [f.id, `0190abcd-0000-7000-8000-${String(i).padStart(12, '0')}`]),
    );
    const back = new Map([...ids].map(([origin, id]) => [`faq:${id}`, `faq:${origin}`]));
    const fromTemplate = compileBot({ template });
    const fromKnowledge = compileBot({
      template,
      knowledge: { faqs: kb.faqs.map((f) => ({ ...f, id: ids.get(f.id)! })) },
    });
    for (const { text } of suite) {
      const a = await conversation(fromTemplate, recordingPorts([])).say(text);
      const b = await conversation(fromKnowledge, recordingPorts([])).say(text);
      const intent = b.understanding.intent && (back.get(b.understanding.intent) ?? b.understanding.intent);
      expect([text, intent]).toEqual([text, a.understanding.intent]);
      // Summation order differs with the ids, so scores agree to rounding only.
      expect(b.understanding.confidence).toBeCloseTo(a.understanding.confidence, 9);
    }
  }, 60_000);
});
