// The owner's dialogue overrides on the real retail template: validated field by field, applied without
// touching what they leave alone, and felt by a compiled bot.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBot } from './compile.ts';
import {
  applyDialogueOverrides,
  checkDialogueOverrides,
  type DialogueOverrides,
  effectiveDialogue,
} from './overrides.ts';
import type { BotTemplate } from './template.ts';
import { conversation, recordingPorts, texts } from './test-support.ts';

const template = JSON.parse(
  readFileSync(new URL('../../../templates/retail/zh-CN.json', import.meta.url), 'utf8'),
) as BotTemplate;

const problemsOf = (overrides: DialogueOverrides) => {
  const check = checkDialogueOverrides(template, overrides);
  return check.ok ? [] : check.problems;
};

describe('dialogue overrides on the retail template', () => {
  it('no overrides give the template itself', () => {
    expect(applyDialogueOverrides(template, null)).toBe(template);
    expect(applyDialogueOverrides(template, {})).toEqual(template);
  });

  it('accepts a full, valid document', () => {
    expect(
      problemsOf({
        intents: {
          order_status: {
            addExamples: ['包裹到哪了'],
            handler: {
              type: 'action',
              action: 'order.lookup',
              slots: ['order_number'],
              reply: '{{order.number}} 状态 {{order.status}}，{{shop.name}} 为您查询',
            },
          },
          greeting: { enabled: false },
        },
        customIntents: [
          {
            name: 'wholesale',
            examples: ['可以批发吗', '大量采购有优惠吗', '企业团购怎么买'],
            handler: { type: 'reply', text: '批发请致电 {{shop.phone}}' },
          },
        ],
        forms: {
          refund: {
            policy: '七天无理由退款，运费买家承担。',
            confirm: '确认退订单 {{slots.order_number}} 吗？',
            done: '工单 {{ticket.number}} 已提交',
            slots: { reason: { prompt: '为什么退款？', optional: true } },
          },
        },
      }),
    ).toEqual([]);
  });

  it('names every problem at its field', () => {
    const problems = problemsOf({
      intents: {
        nope: { enabled: false },
        order_status: {
          handler: { type: 'action', action: 'order.lookup', reply: '{{order.colour}} {{order.status}}' },
          removeExamples: ['不是它的例句'],
        },
        refund_request: { handler: { type: 'form', form: 'warranty' } },
        complaint: { handler: { type: 'handoff', reason: 'Bad Reason!' } },
        thanks: { handler: { type: 'action', action: 'refund.issue' as 'ticket.create' } },
      },
      customIntents: [
        { name: 'greeting', examples: ['a', 'b', 'c'], handler: { type: 'reply', text: 'x' } },
        { name: 'faq_two', examples: ['一', '一', ' '], handler: { type: 'reply', text: 'y' } },
        { name: 'faq_two', examples: ['一', '二', '三'], handler: { type: 'reply', text: '{{nope}}' } },
        {
          name: 'label_long',
          label: '一二三四五六七八九十一二三四五六七',
          examples: ['一', '二', '三'],
          handler: { type: 'reply', text: 'z' },
        },
        {
          name: 'label_blank',
          label: ' ',
          examples: ['一', '二', '三'],
          handler: { type: 'reply', text: 'z' },
        },
      ],
      forms: {
        warranty: { policy: 'x' },
        refund: { policy: '', slots: { colour: { prompt: '?' } }, done: '{{callback.number}}' },
      },
    });
    const at = (path: string) => problems.filter((p) => p.path === path).map((p) => p.message);
    expect(at('/intents/nope')).toEqual(['unknown intent nope']);
    expect(at('/intents/order_status/handler/reply')).toEqual(['unknown placeholder {{order.colour}}']);
    expect(at('/intents/order_status/removeExamples/0')).toHaveLength(1);
    expect(at('/intents/refund_request/handler/form')).toEqual(['unknown form warranty']);
    expect(at('/intents/complaint/handler/reason')).toHaveLength(1);
    expect(at('/intents/thanks/handler/action')).toEqual(['unknown action refund.issue']);
    expect(at('/customIntents/0/name')).toEqual(['the template already has an intent of this name']);
    expect(at('/customIntents/1/examples')).toEqual(['at least 3 different examples']);
    expect(at('/customIntents/1/examples/2')).toEqual(['must not be empty']);
    expect(at('/customIntents/2/name')).toEqual(['duplicate intent name']);
    expect(at('/customIntents/2/handler/text')).toEqual(['unknown placeholder {{nope}}']);
    expect(at('/customIntents/3/label')).toEqual(['at most 16 characters']);
    expect(at('/customIntents/4/label')).toHaveLength(1);
    expect(at('/forms/warranty')).toEqual(['unknown form warranty']);
    expect(at('/forms/refund/policy')).toEqual(['must not be empty']);
    expect(at('/forms/refund/slots/colour')).toEqual(['unknown slot colour']);
    expect(at('/forms/refund/done')).toEqual(['unknown placeholder {{callback.number}}']);
    expect(() => applyDialogueOverrides(template, { forms: { warranty: {} } })).toThrow(/warranty/);
  });

  it('refuses removing examples below three and over-long texts', () => {
    const examples = template.intents.find((i) => i.name === 'goodbye')?.examples ?? [];
    const problems = problemsOf({
      intents: { goodbye: { removeExamples: examples.slice(2) } },
      forms: { refund: { policy: '长'.repeat(4001) } },
    });
    expect(problems.map((p) => p.path)).toEqual(['/intents/goodbye/removeExamples', '/forms/refund/policy']);
  });

  it('applies changes and marks each intent and form by origin', () => {
    const firstThanks = template.intents.find((i) => i.name === 'thanks')?.examples[0] ?? '';
    const overrides: DialogueOverrides = {
      intents: {
        greeting: { enabled: false },
        order_status: { handler: { type: 'handoff', reason: 'order_desk', priority: 'high' } },
        thanks: { addExamples: ['多谢啦'], removeExamples: [firstThanks] },
      },
      customIntents: [
        {
          name: 'wholesale',
          label: '批发',
          examples: ['可以批发吗', '大量采购有优惠吗', '企业团购怎么买'],
          handler: { type: 'reply', text: '批发请致电 {{shop.phone}}' },
        },
      ],
      forms: { refund: { policy: '新的退款规则', slots: { photos: { optional: false } } } },
    };
    const applied = applyDialogueOverrides(template, overrides);
    expect(applied.intents.map((i) => i.name)).not.toContain('greeting');
    expect(applied.intents.find((i) => i.name === 'order_status')?.handler).toEqual({
      type: 'handoff',
      reason: 'order_desk',
      priority: 'high',
    });
    const thanks = applied.intents.find((i) => i.name === 'thanks');
    expect(thanks?.examples).toContain('多谢啦');
    expect(thanks?.examples).not.toContain(firstThanks);
    const refund = applied.forms?.find((f) => f.id === 'refund');
    expect(refund?.policy).toBe('新的退款规则');
    expect(refund?.slots.find((s) => s.name === 'photos')?.optional).toBe(false);
    // Untouched parts are the template's own objects.
    expect(applied.forms?.find((f) => f.id === 'return')).toBe(
      template.forms?.find((f) => f.id === 'return'),
    );

    const view = effectiveDialogue(template, overrides);
    const origin = (name: string) => view.intents.find((i) => i.name === name);
    expect(origin('greeting')).toMatchObject({ origin: 'overridden', enabled: false });
    expect(origin('complaint')).toMatchObject({ origin: 'template', enabled: true });
    expect(origin('wholesale')).toMatchObject({ origin: 'custom', enabled: true, label: '批发' });
    expect(origin('complaint')?.label).toBe('投诉');
    expect(applied.intents.find((i) => i.name === 'wholesale')?.label).toBe('批发');
    expect(view.forms.find((f) => f.id === 'refund')).toMatchObject({
      origin: 'overridden',
      policy: '新的退款规则',
    });
    expect(view.forms.find((f) => f.id === 'exchange')?.origin).toBe('template');
  });

  it('a compiled bot follows the overrides', async () => {
    const bot = compileBot({
      template: applyDialogueOverrides(template, {
        intents: { order_status: { handler: { type: 'handoff', reason: 'order_desk' } } },
        customIntents: [
          {
            name: 'live_stream',
            examples: ['直播间什么时候开播', '今晚有直播吗', '直播几点开始', '主播什么时候上线'],
            handler: { type: 'reply', text: '每晚 8 点直播，详询 {{shop.phone}}' },
          },
        ],
        forms: { refund: { policy: '本店退款规则：签收 15 天内可退。' } },
      }),
    });
    const order = await conversation(bot, recordingPorts([])).say('我的订单到哪了');
    expect(order.handoff?.reason).toBe('order_desk');
    const live = await conversation(bot, recordingPorts([])).say('今天晚上直播吗');
    expect(texts(live)).toContain('每晚 8 点直播，详询 400-000-0000');
    const refund = conversation(bot, recordingPorts([]));
    await refund.say('我要退款');
    await refund.say('ZK202405010001');
    await refund.say('尺码不合适');
    const policy = await refund.say('跳过');
    expect(texts(policy)).toContain('本店退款规则：签收 15 天内可退。');
    expect(texts(policy)).not.toContain('七天无理由');
  });
});
