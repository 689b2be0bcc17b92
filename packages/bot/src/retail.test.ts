// Acceptance behaviour of issue 4 on the real e-commerce template with its demo values.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledBot, compileBot } from './compile.ts';
import type { BotTemplate } from './template.ts';
import { conversation, recordingPorts, texts } from './test-support.ts';

const template = JSON.parse(
  readFileSync(new URL('../../../templates/retail/zh-CN.json', import.meta.url), 'utf8'),
) as BotTemplate;
const refundPolicy = template.variables?.find((v) => v.key === 'policy.refund')?.default ?? '';
const demoOrders = [
  {
    number: 'ZK202405010001',
    status: '已发货',
    carrier: '中通快递',
    trackingNumber: 'ZT7788990011',
    phoneLast4: '8000',
  },
];

let bot: CompiledBot;
beforeAll(() => {
  bot = compileBot({ template, orderNumberPattern: 'ZK\\d{12}' });
});

describe('retail template', () => {
  it('"你们几点关门" answers the hours', async () => {
    const r = await conversation(bot, recordingPorts(demoOrders)).say('你们几点关门');
    expect(r.understanding.intent).toBe('faq:opening-hours');
    expect(texts(r)).toContain('9:00–22:00');
  });

  it('order status with a demo order returns its real status after the phone check', async () => {
    const c = conversation(bot, recordingPorts(demoOrders));
    const ask = await c.say('帮我查下订单ZK202405010001到哪了');
    expect(ask.understanding.intent).toBe('order_status');
    expect(ask.replies[0]?.kind).toBe('ask');
    const r = await c.say('8000');
    expect(texts(r)).toBe('订单 ZK202405010001 当前状态：已发货。承运快递：中通快递，运单号：ZT7788990011。');
  });

  it('a refund request completes the form, states the policy verbatim and reports the ticket', async () => {
    const ports = recordingPorts(demoOrders);
    const c = conversation(bot, ports);
    const start = await c.say('我要申请退款');
    expect(start.understanding.intent).toBe('refund_request');
    expect(texts(start)).toBe('请提供需要退款的订单号。');
    expect(texts(await c.say('ZK202405010001'))).toBe('请简单说明退款原因。');
    await c.say('尺码太小了');
    const confirm = await c.say('跳过');
    expect(confirm.replies[0]).toEqual({ kind: 'info', text: refundPolicy });
    expect(confirm.replies[1]?.kind).toBe('confirm');
    const done = await c.say('确认');
    expect(texts(done)).toContain('工单号 T-1001');
    expect(ports.tickets[0]).toMatchObject({ type: 'refund', fields: { order_number: 'ZK202405010001' } });
  });

  it('"转人工" hands off', async () => {
    const r = await conversation(bot, recordingPorts(demoOrders)).say('转人工');
    expect(r.handoff).toEqual({ reason: 'customer_request', priority: 'normal' });
    expect(r.understanding.intent).toBe('human_agent');
  });

  it('an angry complaint hands off with high priority', async () => {
    const r = await conversation(bot, recordingPorts(demoOrders)).say(
      '你们这什么垃圾东西，用一次就坏了，气死我了，我要投诉！',
    );
    expect(r.handoff?.priority).toBe('high');
  });

  it('nonsense gets a clarifying question, then a hand-off', async () => {
    const c = conversation(bot, recordingPorts(demoOrders));
    const first = await c.say('呜啦啦啦 biubiu');
    expect(first.replies[0]?.kind).toBe('clarify');
    const second = await c.say('咕噜咕噜');
    expect(second.handoff?.reason).toBe('fallback');
  });

  it('context carries over: after a lookup, "那退款呢?" starts the refund for the same order', async () => {
    const ports = recordingPorts(demoOrders);
    const c = conversation(bot, ports, { customer: { id: 'c1', verified: true } });
    await c.say('查一下订单 ZK202405010001');
    const r = await c.say('那退款呢?');
    expect(r.understanding.intent).toBe('refund_request');
    expect(texts(r)).toBe('请简单说明退款原因。');
    await c.say('不想要了');
    await c.say('没有');
    await c.say('确认');
    expect(ports.tickets[0]?.fields.order_number).toBe('ZK202405010001');
  });
});

describe('retail template, en-US', () => {
  const en = JSON.parse(
    readFileSync(new URL('../../../templates/retail/en-US.json', import.meta.url), 'utf8'),
  ) as BotTemplate;
  let enBot: CompiledBot;
  beforeAll(() => {
    enBot = compileBot({ template: en });
  });

  it('answers, asks and hands off in English', async () => {
    const hours = await conversation(enBot, recordingPorts(demoOrders)).say('what time do you close?');
    expect(hours.understanding.intent).toBe('faq:opening-hours');
    const human = await conversation(enBot, recordingPorts(demoOrders)).say('I want to talk to a human');
    expect(human.handoff?.reason).toBe('customer_request');
    expect(texts(human)).toMatch(/agent/);
    const c = conversation(enBot, recordingPorts(demoOrders));
    const nonsense = await c.say('blorp zzzt qwxy');
    expect(nonsense.replies[0]?.kind).toBe('clarify');
    expect(texts(nonsense)).toMatch(/[A-Za-z]/);
    expect(texts(nonsense)).not.toMatch(/[\u4e00-\u9fff]{4}/);
  });
});
