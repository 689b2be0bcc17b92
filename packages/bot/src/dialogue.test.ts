import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledBot, compileBot, compiledBotFromJSON } from './compile.ts';
import { isWithinBusinessHours } from './hours.ts';
import type { BotTemplate } from './template.ts';
import { conversation, recordingPorts, texts } from './test-support.ts';

const template: BotTemplate = {
  id: 'mini',
  locale: 'zh-CN',
  variables: [
    { key: 'shop.name', default: '小店' },
    { key: 'shop.hours', default: '每天 9:00–21:00' },
    { key: 'policy.refund', default: '签收 7 天内可无理由退款。' },
  ],
  faqs: [
    {
      id: 'hours',
      question: '你们几点营业？',
      similar: ['营业时间是什么', '几点开门', '几点关门', '晚上几点下班', '周末营业吗', '什么时候开店'],
      answer: '营业时间：{{shop.hours}}。',
      keywords: ['营业', '开门', '关门'],
    },
    {
      id: 'shipping-fee',
      question: '运费怎么算？',
      similar: ['包邮吗', '邮费多少', '要运费吗', '快递费谁出', '满多少包邮', '运费贵不贵'],
      answer: '满 99 元包邮。',
      keywords: ['运费', '包邮', '邮费'],
    },
    {
      id: 'invoice',
      question: '可以开发票吗？',
      similar: ['能开发票吗', '发票怎么开', '要开专票', '电子发票有吗', '开票抬头怎么填', '发票什么时候给'],
      answer: '可以开电子发票。',
      keywords: ['发票', '开票'],
    },
    {
      id: 'invoice-email',
      question: '发票发到哪个邮箱？',
      similar: [
        '发票会寄到邮箱吗',
        '电子发票发哪里',
        '发票邮箱怎么改',
        '没收到发票邮件',
        '发票邮件在哪看',
        '发票发送到哪',
      ],
      answer: '电子发票会发到您下单时填写的邮箱。',
      keywords: ['发票', '邮箱'],
    },
  ],
  intents: [
    {
      name: 'order_status',
      examples: [
        '帮我查一下订单',
        '我的订单到哪了',
        '查下订单状态',
        '我的包裹在哪',
        '发货了吗我的订单',
        '订单查询',
        '看看我这单到哪了',
      ],
      handler: {
        type: 'action',
        action: 'order.lookup',
        slots: ['order_number'],
        verify: 'phone_last4',
        reply: '订单 {{order.number}} 当前状态：{{order.status}}，快递 {{order.carrier}}。',
      },
    },
    {
      name: 'refund_request',
      examples: ['我要退款', '申请退款', '帮我退款', '我想退钱', '这单给我退款', '不想要了退钱', '办理退款'],
      handler: { type: 'form', form: 'refund' },
    },
    {
      name: 'callback_request',
      examples: [
        '给我回个电话',
        '请打电话给我',
        '回电话',
        '我要预约回电',
        '能不能打给我',
        '电话联系我',
        '让客服给我打电话',
      ],
      handler: { type: 'form', form: 'callback' },
    },
    {
      name: 'human_agent',
      examples: ['转人工', '人工客服', '找真人', '我要人工', '接人工', '真人客服', '不要机器人'],
      handler: { type: 'handoff', reason: 'customer_request' },
    },
    {
      name: 'complaint',
      examples: [
        '我要投诉',
        '太垃圾了',
        '你们是骗子',
        '气死我了',
        '我要去消协',
        '服务太差了',
        '我要曝光你们',
      ],
      handler: { type: 'handoff', reason: 'complaint', priority: 'high' },
    },
    {
      name: 'greeting',
      examples: ['你好', '您好', '在吗', '有人吗', '哈喽', '亲在不在', '早上好'],
      handler: { type: 'reply', text: '您好，这里是{{shop.name}}。' },
    },
  ],
  forms: [
    {
      id: 'refund',
      slots: [
        { name: 'order_number', entity: 'order_number', prompt: '请提供需要退款的订单号。' },
        { name: 'reason', prompt: '请说明退款原因。' },
        { name: 'photos', optional: true, prompt: '可以上传照片（可跳过）。' },
      ],
      policy: '{{policy.refund}}',
      confirm: '确认为订单 {{slots.order_number}} 申请退款吗？',
      submit: { action: 'ticket.create', ticketType: 'refund' },
      done: '已提交退款申请，工单号 {{ticket.number}}。',
    },
    {
      id: 'callback',
      slots: [
        { name: 'phone', entity: 'phone', prompt: '请留下您的手机号。' },
        { name: 'topic', prompt: '想咨询什么问题？' },
      ],
      submit: { action: 'ticket.create', ticketType: 'callback' },
      done: '已登记，工单号 {{ticket.number}}，我们会打给 {{slots.phone}}。',
    },
  ],
  synonyms: [['退款', '退钱']],
};

const orders = [
  { number: 'DD20240501001', status: '已发货', carrier: '中通', phoneLast4: '5678' },
  { number: 'DD20240501002', status: '待发货', phoneLast4: '1111' },
];

let bot: CompiledBot;
beforeAll(() => {
  bot = compileBot({ template, variables: { 'shop.name': '阿花的店' } });
});

describe('knowledge base answers', () => {
  it('answers a confident question with the owner values filled in', async () => {
    const r = await conversation(bot, recordingPorts(orders)).say('你们几点关门');
    expect(r.understanding.intent).toBe('faq:hours');
    expect(r.replies).toEqual([{ kind: 'answer', text: '营业时间：每天 9:00–21:00。' }]);
    expect(r.handoff).toBeNull();
  });

  it('fills variables the owner set and keeps template defaults for the rest', async () => {
    const r = await conversation(bot, recordingPorts(orders)).say('你好');
    expect(texts(r)).toBe('您好，这里是阿花的店。');
  });
});

describe('clarify, then hand off', () => {
  it('nonsense gets a clarifying question, a second miss hands off', async () => {
    const c = conversation(bot, recordingPorts(orders));
    const first = await c.say('阿斯顿发给');
    expect(first.replies[0]?.kind).toBe('clarify');
    expect(first.handoff).toBeNull();
    const second = await c.say('咿咿呀呀啦啦啦');
    expect(second.handoff).toEqual({ reason: 'fallback', priority: 'normal' });
  });

  it('takes a number as the answer to a clarifying question', async () => {
    // Forced clarification: nothing is confident enough with an unreachable threshold.
    const strict = compileBot({ template, decision: { answerThreshold: 1.01 } });
    const s = conversation(strict, recordingPorts(orders));
    const ask = await s.say('发票的事');
    expect(ask.replies[0]?.kind).toBe('clarify');
    const options = ask.state.pending?.kind === 'clarify' ? ask.state.pending.options : [];
    expect(options.length).toBeGreaterThanOrEqual(2);
    expect(options.length).toBeLessThanOrEqual(3);
    const picked = await s.say('2');
    expect(picked.understanding.intent).toBe(options[1]);
    expect(picked.replies[0]?.kind).toBe('answer');
  });
});

describe('hand-off rules', () => {
  it('an explicit request for a human always hands off', async () => {
    for (const text of ['转人工', '人工客服', 'human please']) {
      const r = await conversation(bot, recordingPorts(orders)).say(text);
      expect(r.handoff).toEqual({ reason: 'customer_request', priority: 'normal' });
      expect(r.replies[0]?.kind).toBe('handoff');
    }
  });

  it('refusing the bot or asking staff to call back is a request for a human', async () => {
    for (const text of [
      '别让机器人回复了',
      '不想跟智能客服聊',
      '让工作人员打给我',
      'please put me through to someone',
      'I need a person, not a bot',
    ]) {
      const r = await conversation(bot, recordingPorts(orders)).say(text);
      expect(r.handoff, text).toEqual({ reason: 'customer_request', priority: 'normal' });
    }
  });

  it('a request for a human that carries a threat is handled as the complaint', async () => {
    const r = await conversation(bot, recordingPorts(orders)).say('转人工 再拖我就去12315');
    expect(r.handoff).toEqual({ reason: 'urgency:regulator_threat', priority: 'high' });
  });

  it('urgency (regulator threat) and anger hand off with high priority', async () => {
    const threat = await conversation(bot, recordingPorts(orders)).say('再不给我处理我就打12315投诉你们');
    expect(threat.handoff?.priority).toBe('high');
    const angry = await conversation(bot, recordingPorts(orders)).say('太垃圾了，什么破东西，气死我了！！！');
    expect(angry.handoff?.priority).toBe('high');
    expect(angry.understanding.intent).toBe('complaint');
  });

  it('outside business hours collects contact and question for a callback instead of a human', async () => {
    const ports = recordingPorts(orders);
    const hours = {
      timeZone: 'Asia/Shanghai',
      periods: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' }],
    };
    // 2026-05-06 is a Wednesday; 15:00 UTC is 23:00 in Shanghai.
    const c = conversation(bot, ports, { now: new Date('2026-05-06T15:00:00Z'), businessHours: hours });
    const r = await c.say('转人工');
    expect(r.handoff).toBeNull();
    expect(texts(r)).toContain('手机号');
    const phone = await c.say('13812345678');
    expect(texts(phone)).toContain('问题');
    const done = await c.say('想问一下批发价格');
    expect(done.handoff).toBeNull();
    expect(ports.callbacks).toEqual([
      { phone: '13812345678', note: '[customer_request] 想问一下批发价格', customerId: 'cust-1' },
    ]);
    expect(texts(done)).toContain('CB-1');
  });
});

describe('order lookup', () => {
  it('verifies the phone tail before revealing the order', async () => {
    const ports = recordingPorts(orders);
    const c = conversation(bot, ports);
    const ask = await c.say('帮我查一下订单 DD20240501001');
    expect(ask.understanding.intent).toBe('order_status');
    expect(texts(ask)).not.toContain('已发货');
    expect(texts(ask)).toContain('后 4 位');
    const wrong = await c.say('1234');
    expect(texts(wrong)).not.toContain('已发货');
    const right = await c.say('尾号5678');
    expect(texts(right)).toBe('订单 DD20240501001 当前状态：已发货，快递 中通。');
  });

  it('lets the customer move on from the phone check with a new question', async () => {
    const c = conversation(bot, recordingPorts(orders));
    await c.say('帮我查一下订单 DD20240501001');
    const r = await c.say('算了，你们几点关门');
    expect(r.understanding.intent).toBe('faq:hours');
    expect(r.state.pending).toBeNull();
    expect(texts(r)).not.toContain('已发货');
  });

  it('skips the check for a verified customer and says n/a for missing fields', async () => {
    const c = conversation(bot, recordingPorts(orders), { customer: { id: 'c', verified: true } });
    await c.say('我的订单到哪了');
    const r = await c.say('DD20240501002');
    expect(texts(r)).toBe('订单 DD20240501002 当前状态：待发货，快递 暂无。');
  });

  it('hands off after an order number that is not found twice', async () => {
    const c = conversation(bot, recordingPorts(orders));
    const first = await c.say('查下订单状态 DD99999999999');
    expect(texts(first)).toContain('没有找到');
    const second = await c.say('DD88888888888');
    expect(second.handoff?.reason).toBe('order_not_found');
  });
});

describe('forms', () => {
  it('collects slots, states the policy verbatim, confirms and reports the ticket number', async () => {
    const ports = recordingPorts(orders);
    const c = conversation(bot, ports);
    expect(texts(await c.say('我要退款'))).toBe('请提供需要退款的订单号。');
    expect(texts(await c.say('好像是这个吧 没找到'))).toContain('请提供需要退款的订单号');
    expect(texts(await c.say('DD20240501001'))).toBe('请说明退款原因。');
    expect(texts(await c.say('尺码不合适'))).toBe('可以上传照片（可跳过）。');
    const confirm = await c.say('跳过');
    expect(confirm.replies.map((r) => r.kind)).toEqual(['info', 'confirm']);
    expect(confirm.replies[0]?.text).toBe('签收 7 天内可无理由退款。');
    expect(confirm.replies[1]?.text).toContain('确认为订单 DD20240501001 申请退款吗？');
    const done = await c.say('确认');
    expect(texts(done)).toBe('已提交退款申请，工单号 T-1001。');
    expect(ports.tickets).toEqual([
      {
        type: 'refund',
        fields: { order_number: 'DD20240501001', reason: '尺码不合适' },
        customerId: 'cust-1',
      },
    ]);
  });

  it('answers a knowledge-base question asked instead of a slot, then asks for the slot again', async () => {
    const c = conversation(bot, recordingPorts(orders));
    await c.say('我要退款');
    const r = await c.say('对了你们运费怎么算');
    expect(r.replies).toEqual([
      { kind: 'answer', text: '满 99 元包邮。' },
      { kind: 'ask', text: '请提供需要退款的订单号。' },
    ]);
    expect(texts(await c.say('DD20240501001'))).toBe('请说明退款原因。');
  });

  it('cancels on "no" at the confirmation', async () => {
    const ports = recordingPorts(orders);
    const c = conversation(bot, ports);
    await c.say('申请退款，订单号 DD20240501001');
    await c.say('不想要了');
    await c.say('跳过');
    const r = await c.say('取消');
    expect(r.replies[0]?.kind).toBe('info');
    expect(ports.tickets).toHaveLength(0);
  });

  it('never asks for the phone the customer record holds', async () => {
    const ports = recordingPorts(orders);
    const c = conversation(bot, ports, { customer: { id: 'c9', phone: '13900001111' } });
    expect(texts(await c.say('给我回个电话'))).toBe('想咨询什么问题？');
    const done = await c.say('批量采购');
    expect(texts(done)).toBe('已登记，工单号 T-1001，我们会打给 13900001111。');
  });

  it('carries the order across turns: "那退款呢?" after a lookup starts the refund with that order', async () => {
    const ports = recordingPorts(orders);
    const c = conversation(bot, ports, { customer: { id: 'c', verified: true } });
    await c.say('帮我查一下订单 DD20240501001');
    const r = await c.say('那退款呢?');
    expect(r.understanding.intent).toBe('refund_request');
    expect(texts(r)).toBe('请说明退款原因。');
  });
});

describe('compiled bot', () => {
  it('survives a JSON round trip with the same behaviour', async () => {
    const restored = compiledBotFromJSON(JSON.parse(JSON.stringify(bot.toJSON())));
    for (const text of ['几点关门', '包邮吗', '我要退款', '阿斯顿发给']) {
      const a = await conversation(bot, recordingPorts(orders)).say(text);
      const b = await conversation(restored, recordingPorts(orders)).say(text);
      expect(b.replies).toEqual(a.replies);
      expect(b.understanding.confidence).toBeCloseTo(a.understanding.confidence, 5);
    }
  });

  it('rejects JSON of another kind', () => {
    expect(() => compiledBotFromJSON({ ...bot.toJSON(), version: 2 as 1 })).toThrow();
  });
});

describe('business hours', () => {
  const hours = {
    timeZone: 'Asia/Shanghai',
    periods: [
      { days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' },
      { days: [6], open: '20:00', close: '02:00' },
    ],
  };
  it('reads the schedule in the shop time zone, including periods past midnight', () => {
    expect(isWithinBusinessHours(hours, new Date('2026-05-06T02:00:00Z'))).toBe(true); // Wed 10:00
    expect(isWithinBusinessHours(hours, new Date('2026-05-06T11:00:00Z'))).toBe(false); // Wed 19:00
    expect(isWithinBusinessHours(hours, new Date('2026-05-09T13:00:00Z'))).toBe(true); // Sat 21:00
    expect(isWithinBusinessHours(hours, new Date('2026-05-09T17:00:00Z'))).toBe(true); // Sun 01:00
    expect(isWithinBusinessHours(hours, new Date('2026-05-09T19:00:00Z'))).toBe(false); // Sun 03:00
  });
});

describe('a template’s own out-of-scope asks', () => {
  it('are trained as out of scope, and the FAQs stay answerable', () => {
    const shop = compileBot({
      template: {
        ...template,
        outOfScope: [
          '想成为你们的经销商 怎么申请',
          '招不招代理 加盟费多少',
          '我们工厂可以给你们代工',
          '能在杯子上印我们公司的logo吗',
          '我是报社的 想做个专访',
          '你们还招人吗 想去上班',
        ],
      },
    });
    for (const text of ['我想做你们的代理商 需要什么条件', '报社想采访一下你们老板'])
      expect(shop.analyse(text).inScope, text).toBe(false);
    expect(shop.analyse('几点关门').candidates[0]?.target).toBe('faq:hours');
    expect(shop.analyse('几点关门').inScope).toBe(true);
  });
});

describe('a template’s out-of-scope cues', () => {
  it('put a topic out of scope however close its wording is to an FAQ, and survive a JSON round trip', () => {
    const shop = compileBot({ template: { ...template, outOfScopeCues: ['加盟|代理', '\\bhiring\\b'] } });
    // Near the hours FAQ in wording, but about franchising or a job.
    for (const text of ['加盟店几点关门', '你们代理商几点下班', 'are you hiring? what hours'])
      expect(shop.analyse(text).inScope, text).toBe(false);
    expect(shop.analyse('几点关门').inScope).toBe(true);
    expect(compiledBotFromJSON(shop.toJSON()).analyse('加盟店几点关门').inScope).toBe(false);
  });

  it('fail the compile when a cue is not a regular expression', () => {
    expect(() => compileBot({ template: { ...template, outOfScopeCues: ['加盟|(代理'] } })).toThrow(
      /outOfScopeCues\[0\]/,
    );
  });
});
