import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBot, compileBotSliced } from './compile.ts';
import type { BotTemplate } from './template.ts';
import { trainedModelCounts } from './trainedModels.ts';

const template = JSON.parse(
  readFileSync(new URL('../../../templates/retail/zh-CN.json', import.meta.url), 'utf8'),
) as BotTemplate;

/** The template's FAQs as one shop's knowledge base: the same content under that shop's own row ids. */
const knowledgeOf = (shop: string) => ({
  faqs: template.faqs.map((f, i) => ({
    id: `${shop}-${String(i).padStart(4, '0')}`,
    question: f.question,
    similar: f.similar ?? [],
    answer: f.answer,
  })),
  articles: [],
});

describe('intent models kept by content', () => {
  it('trains once for two shops with the same knowledge, each answering with its own FAQ ids', () => {
    const before = trainedModelCounts();
    const a = compileBot({ template, knowledge: knowledgeOf('shop-a') });
    const afterA = trainedModelCounts();
    const b = compileBot({ template, knowledge: knowledgeOf('shop-b') });
    const afterB = trainedModelCounts();
    // Shop B's compile trained nothing: every model it holds is one shop A's compile trained or reused.
    expect(afterB.trained).toBe(afterA.trained);
    expect(afterB.reused - afterA.reused).toBe(
      afterA.trained - before.trained + afterA.reused - before.reused,
    );
    expect(afterB.reused).toBeGreaterThan(afterA.reused);
    const question = template.faqs[3]!.question;
    expect(a.analyse(question).candidates[0]?.target).toMatch(/shop-a-0003$/);
    expect(b.analyse(question).candidates[0]?.target).toMatch(/shop-b-0003$/);
    // The same ranking for every phrasing, with the scores to the last digit.
    for (const f of template.faqs.slice(0, 20)) {
      const x = a.analyse(f.similar?.[0] ?? f.question).candidates.slice(0, 3);
      const y = b.analyse(f.similar?.[0] ?? f.question).candidates.slice(0, 3);
      expect(y.map((c) => ({ ...c, target: c.target.replace('shop-b', 'shop-a') }))).toEqual(x);
    }
  });

  it('trains again when the content differs', () => {
    const k = knowledgeOf('shop-c');
    k.faqs[0] = { ...k.faqs[0]!, similar: [...k.faqs[0]!.similar, '这个问题是店主新加的说法'] };
    const before = trainedModelCounts().trained;
    const bot = compileBot({ template, knowledge: k });
    expect(trainedModelCounts().trained).toBeGreaterThan(before);
    expect(bot.analyse('这个问题是店主新加的说法').candidates[0]?.target).toMatch(/shop-c-0000$/);
  });
});

describe('compiling in slices (the server’s compile)', () => {
  it('trains the same bot as compiling at once, letting the event loop turn while it trains', async () => {
    const k = knowledgeOf('shop-d');
    k.faqs[1] = { ...k.faqs[1]!, similar: [...k.faqs[1]!.similar, '分片编译时店主新加的说法'] };
    const before = trainedModelCounts().trained;
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const sliced = await compileBotSliced({ template, knowledge: k }).finally(() => clearInterval(timer));
    expect(trainedModelCounts().trained).toBeGreaterThan(before);
    // A compile at once holds the loop for all of its ~0.5 s; in slices timers keep firing.
    expect(turns).toBeGreaterThanOrEqual(3);
    // Compiled again at once (its models now from the memo), the same content gives the same bot.
    const atOnce = compileBot({ template, knowledge: k });
    expect(sliced.toJSON()).toEqual(atOnce.toJSON());
    expect(sliced.analyse('分片编译时店主新加的说法').candidates[0]?.target).toMatch(/shop-d-0001$/);
  });

  it('trains a model once when two shops with the same content compile at once', async () => {
    const added = (shop: string) => {
      const k = knowledgeOf(shop);
      k.faqs[2] = { ...k.faqs[2]!, similar: [...k.faqs[2]!.similar, '两家店同时编译时新加的说法'] };
      return k;
    };
    const before = trainedModelCounts();
    const [e, f] = await Promise.all([
      compileBotSliced({ template, knowledge: added('shop-e') }),
      compileBotSliced({ template, knowledge: added('shop-f') }),
    ]);
    const after = trainedModelCounts();
    // One compile trained; the other waited for it and reused what it trained.
    expect(after.trained - before.trained).toBeGreaterThan(0);
    expect(after.reused - before.reused).toBe(after.trained - before.trained);
    expect(e.analyse('两家店同时编译时新加的说法').candidates[0]?.target).toMatch(/shop-e-0002$/);
    expect(f.analyse('两家店同时编译时新加的说法').candidates[0]?.target).toMatch(/shop-f-0002$/);
  });
});
