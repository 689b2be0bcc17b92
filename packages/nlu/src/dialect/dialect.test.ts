import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalise } from '../normalise/index.ts';
import { createDialectRewriter, DIALECT_LEXICON, DIALECTS, type DialectEntry, toMandarin } from './index.ts';

describe('toMandarin: written Cantonese', () => {
  it.each([
    ['我張單幾時到呀?', '我的订单什么时候到呀?'],
    ['唔該幫我查下', '麻烦帮我查下'],
    ['好，唔該', '好，谢谢'],
    ['唔該晒', '非常感谢'],
    ['你哋有冇大啲嘅碼', '你们有没有大一点的码'],
    ['佢話今日會送到', '他说今天会送到'],
    ['點解仲未到', '为什么还没到'],
    ['點樣退貨', '怎么退货'],
    ['件貨喺邊度', '件货在哪里'],
    ['係咪包郵㗎', '是不是包邮的'],
    ['我唔使發票', '我不用发票'],
    ['你哋賣咩嘢', '你们卖什么'],
    ['寄咗未', '寄了没有'],
    ['畀錢之後幾耐到', '付钱之后多久到'],
    ['聽日嚟攞', '明天来拿'],
    ['幾多錢', '多少钱'],
    ['呢件衫係幾多錢', '这件衣服是多少钱'],
  ])('%s → %s', (text, mandarin) => {
    expect(toMandarin(text)).toMatchObject({ text: mandarin, dialect: 'yue' });
  });

  it('works on Cantonese written in simplified characters too', () => {
    expect(toMandarin('我张单几时到呀')).toMatchObject({ text: '我的订单什么时候到呀', dialect: 'yue' });
    expect(toMandarin('佢冇收到')).toMatchObject({ text: '他没有收到', dialect: 'yue' });
  });

  it('rewrites 係 to 是 only inside Cantonese, and never inside 关系, 联系 or 系统', () => {
    expect(toMandarin('佢哋係咪同你聯繫咗').text).toBe('他们是不是同你联系了');
    expect(toMandarin('呢個系統係唔係壞咗').text).toBe('这个系统是不是坏了');
    expect(toMandarin('我同佢冇關係').text).toBe('我同他没有关系');
  });
});

describe('toMandarin: Sichuanese', () => {
  it.each([
    ['啥子时候发货嘛', '什么时候发货嘛'],
    ['我的快递咋个还没到', '我的快递怎么还没到'],
    ['莫得收到货', '没有收到货'],
    ['啷个退款嘛', '怎么退款嘛'],
    ['帮我看一哈', '帮我看一下'],
    ['搞快点发货噻', '快点发货啊'],
    ['这个巴适得板', '这个非常好'],
    ['你晓不晓得啥子时候到', '你知不知道什么时候到'],
    ['撒子快递嘛', '什么快递嘛'],
  ])('%s → %s', (text, mandarin) => {
    expect(toMandarin(text)).toMatchObject({ text: mandarin, dialect: 'sichuan' });
  });

  it('needs more than one word Mandarin also uses', () => {
    expect(toMandarin('不晓得到哪里了')).toMatchObject({ text: '不晓得到哪里了', dialect: null });
    expect(toMandarin('要得，谢谢')).toMatchObject({ text: '要得，谢谢', dialect: null });
    // Two of them together are Sichuanese.
    expect(toMandarin('要得，我晓得了')).toMatchObject({ text: '好的，我知道了', dialect: 'sichuan' });
  });
});

describe('Mandarin stays as it is', () => {
  const mandarin = [
    '系统显示已签收但是我没收到',
    '请联系客服',
    '我们是什么关系',
    '这个系列还有别的颜色吗',
    '晒单有返现吗',
    '唔，好的',
    '这个平台靠谱吗',
    '鞋子耐穿吗',
    '我不晓得怎么弄',
    '宜家的柜子',
    '今日特价',
    '未发货可以退款吗',
    '多谢多谢 辛苦了',
    '几时发货',
    '你好，我想问一下退货运费谁出',
    '麦克风的咪头坏了',
    '遭遇了暴力运输',
    '耍了我一整天',
  ];
  it.each(mandarin)('%s', (text) => {
    expect(toMandarin(text)).toMatchObject({ text, dialect: null });
  });

  it('through normalise: Mandarin comes out exactly as before', () => {
    expect(normalise('系统显示已签收但是我没收到')).toBe('系统显示已签收但是我没收到');
    expect(normalise('關係很好，謝謝')).toBe('关系很好,谢谢');
    expect(normalise('唔，好的')).toBe('唔,好的');
  });

  it('never rewrites the Mandarin examples an industry template trains on', () => {
    const template = JSON.parse(
      readFileSync(new URL('../../../../templates/retail/zh-CN.json', import.meta.url), 'utf8'),
    ) as { faqs: { question: string; similar: string[] }[]; intents: { examples: string[] }[] };
    const examples = [
      ...template.faqs.flatMap((f) => [f.question, ...f.similar]),
      ...template.intents.flatMap((i) => i.examples),
    ];
    expect(examples.length).toBeGreaterThan(300);
    const rewritten = examples.filter((e) => toMandarin(e).dialect !== null);
    expect(rewritten).toEqual([]);
  });
});

describe('normalise reads dialects in Mandarin', () => {
  it('rewrites traditional Cantonese after converting it', () => {
    expect(normalise('我張單幾時到呀？')).toBe('我的订单什么时候到呀?');
    expect(normalise('點解仲未發貨！！')).toBe('为什么还没发货!');
  });
  it('rewrites simplified Cantonese and Sichuanese that would otherwise take the fast path', () => {
    expect(normalise('佢冇收到')).toBe('他没有收到');
    expect(normalise('啥子时候发货')).toBe('什么时候发货');
  });
  it('is idempotent on dialect text', () => {
    for (const s of ['我張單幾時到呀?', '你哋有冇大啲嘅碼', '啥子时候发货嘛', '要得，我晓得了']) {
      expect(normalise(normalise(s))).toBe(normalise(s));
    }
  });
});

describe('the lexicon', () => {
  const entries: [string, DialectEntry][] = DIALECTS.flatMap((d) =>
    DIALECT_LEXICON[d].map((e) => [d, e] as [string, DialectEntry]),
  );

  it('has well-formed entries, one per expression and guard', () => {
    expect(DIALECT_LEXICON.yue.length).toBeGreaterThanOrEqual(100);
    expect(DIALECT_LEXICON.sichuan.length).toBeGreaterThanOrEqual(40);
    const keys = new Set<string>();
    for (const [dialect, e] of entries) {
      expect(e.from.length, e.from).toBeGreaterThan(0);
      expect([0, 1, 2], e.from).toContain(e.weight);
      expect(e.to, e.from).not.toBe(e.from);
      const key = JSON.stringify([dialect, e.from, e.end, e.notEnd, e.followedBy, e.notFollowedBy]);
      expect(keys.has(key), `${dialect} ${e.from} twice`).toBe(false);
      keys.add(key);
    }
  });

  it('covers the expressions the issue names', () => {
    const yue = new Set(DIALECT_LEXICON.yue.map((e) => e.from));
    const sichuan = new Set(DIALECT_LEXICON.sichuan.map((e) => e.from));
    for (const w of [
      '唔该',
      '冇',
      '佢',
      '点样',
      '几时',
      '边度',
      '咩嘢',
      '唔使',
      '系',
      '嘅',
      '咗',
      '啲',
      '喺',
    ]) {
      expect(yue.has(w), w).toBe(true);
    }
    for (const w of ['畀', '俾', '睇', '嚟', '攞', '张单', '几多钱']) expect(yue.has(w), w).toBe(true);
    for (const w of [
      '啥子',
      '咋个',
      '莫得',
      '晓得',
      '要得',
      '巴适',
      '啷个',
      '撒子',
      '耍',
      '哪哈儿',
      '嘞',
      '噻',
    ]) {
      expect(sichuan.has(w), w).toBe(true);
    }
  });

  it('gives Mandarin forms that carry no evidence of their own (rewriting twice changes nothing)', () => {
    const rewriter = createDialectRewriter();
    for (const [, e] of entries) {
      if (e.to === '') continue;
      const { evidence } = rewriter.detect(e.to);
      expect(evidence.yue + evidence.sichuan, `${e.from} → ${e.to}`).toBe(0);
    }
  });

  it('can be replaced: an empty lexicon rewrites nothing', () => {
    const none = createDialectRewriter({ yue: [], sichuan: [] });
    expect(none.rewrite('我張單幾時到呀')).toMatchObject({ text: '我張單幾時到呀', dialect: null });
  });
});
