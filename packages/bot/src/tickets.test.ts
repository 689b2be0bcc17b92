// The ticket.lookup action on the real retail template: "我的工单进度" lists the asking customer's own
// tickets in words, and with none the bot says so and offers a person.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledBot, compileBot } from './compile.ts';
import type { BotTemplate } from './template.ts';
import { conversation, recordingPorts, texts } from './test-support.ts';
import type { CustomerTickets } from './types.ts';

const load = (locale: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../templates/retail/${locale}.json`, import.meta.url), 'utf8'),
  ) as BotTemplate;

const own: Record<string, CustomerTickets> = {
  'cust-1': {
    tickets: [
      {
        number: 'T2026112500001',
        subject: '洗衣机漏水',
        status: 'open',
        pendingReason: null,
        assigneeName: '王芳',
        // 16:00 in Shanghai.
        due: { metric: 'resolution', at: '2026-11-26T08:00:00.000Z' },
      },
      {
        number: 'T2026112400002',
        subject: '退款申请',
        status: 'pending',
        pendingReason: 'customer',
        assigneeName: null,
        due: null,
      },
      {
        number: 'T2026112000003',
        subject: '换货',
        status: 'solved',
        pendingReason: null,
        assigneeName: '李雷',
        due: null,
      },
    ],
    more: 1,
    timeZone: 'Asia/Shanghai',
  },
};

describe('ticket progress (retail, zh-CN)', () => {
  let bot: CompiledBot;
  beforeAll(() => {
    bot = compileBot({ template: load('zh-CN') });
  });

  it('lists the asking customer’s tickets with status, assignee and due time', async () => {
    const ports = recordingPorts([], own);
    const r = await conversation(bot, ports).say('我的工单进度');
    expect(r.understanding.intent).toBe('ticket_status');
    expect(r.handoff).toBeNull();
    expect(texts(r)).toBe(
      [
        '为您查到 4 张工单：',
        '• T2026112500001「洗衣机漏水」：处理中，由王芳负责，预计 11月26日 16:00 前处理完成。',
        '• T2026112400002「退款申请」：等待您补充信息。',
        '• T2026112000003「换货」：已解决，由李雷负责。',
        '另有 1 张工单未列出，需要的话可以转人工为您查询。',
        '如需补充信息或催办，直接回复我即可。',
      ].join('\n'),
    );
    // Read by the conversation's customer, nothing typed in.
    expect(ports.ticketLookups).toEqual(['cust-1']);
  });

  it('with no ticket says so, offers a person and hands off on yes', async () => {
    const c = conversation(bot, recordingPorts([], own), { customer: { id: 'cust-2' } });
    const r = await c.say('我报修的单子怎么样了');
    expect(r.understanding.intent).toBe('ticket_status');
    expect(texts(r)).toMatch(/^没有查到您名下的工单。.*需要吗？$/);
    expect(r.handoff).toBeNull();
    const yes = await c.say('需要');
    expect(yes.handoff).toEqual({ reason: 'customer_request', priority: 'normal' });
  });

  it('after the offer, no closes politely and another question is answered', async () => {
    const declined = conversation(bot, recordingPorts([]), { customer: { id: 'cust-3' } });
    await declined.say('帮我查一下我的工单');
    const no = await declined.say('不用了');
    expect(no.handoff).toBeNull();
    expect(texts(no)).toBe('好的，还有其他可以帮您的吗？');
    expect(declined.state?.pending).toBeNull();

    const movedOn = conversation(bot, recordingPorts([]), { customer: { id: 'cust-4' } });
    await movedOn.say('我的工单进度');
    const hours = await movedOn.say('你们客服几点在线');
    expect(hours.understanding.intent).toBe('faq:opening-hours');
    expect(hours.handoff).toBeNull();
  });

  it('keeps the list when the owner’s reply leaves it out', async () => {
    const template = load('zh-CN');
    const custom = compileBot({
      template: {
        ...template,
        intents: template.intents.map((i) =>
          i.name === 'ticket_status'
            ? {
                ...i,
                handler: { type: 'action', action: 'ticket.lookup', reply: '{{customer.name}}，您的工单：' },
              }
            : i,
        ),
      },
    });
    const r = await conversation(custom, recordingPorts([], own), {
      customer: { id: 'cust-1', name: '张女士' },
    }).say('我的工单进度');
    expect(texts(r).split('\n').slice(0, 2)).toEqual([
      '张女士，您的工单：',
      '• T2026112500001「洗衣机漏水」：处理中，由王芳负责，预计 11月26日 16:00 前处理完成。',
    ]);
  });
});

describe('ticket progress (retail, en-US)', () => {
  it('answers in English with the due time in the shop’s time zone', async () => {
    const bot = compileBot({ template: load('en-US') });
    const tickets: CustomerTickets = {
      tickets: [
        {
          number: 'T2026112500001',
          subject: 'Leaking washer',
          status: 'new',
          pendingReason: null,
          assigneeName: null,
          due: { metric: 'first_response', at: '2026-11-25T10:30:00.000Z' },
        },
        {
          number: 'T2026112400002',
          subject: 'Refund',
          status: 'pending',
          pendingReason: 'third_party',
          assigneeName: 'Amy',
          due: null,
        },
      ],
      more: 0,
      timeZone: 'Europe/London',
    };
    const r = await conversation(bot, recordingPorts([], { 'cust-1': tickets })).say(
      "what's the status of my ticket?",
    );
    expect(r.understanding.intent).toBe('ticket_status');
    expect(texts(r)).toBe(
      [
        'You have 2 ticket(s) with us:',
        '• T2026112500001 "Leaking washer": received, waiting to be picked up, we\'ll reply by Nov 25, 10:30.',
        '• T2026112400002 "Refund": waiting on a third party, handled by Amy.',
        'Reply here if you have anything to add or want us to hurry.',
      ].join('\n'),
    );
    const none = conversation(bot, recordingPorts([]), { customer: { id: 'cust-9' } });
    expect(texts(await none.say('any update on my support ticket'))).toMatch(/couldn't find any tickets/);
    expect((await none.say('yes please')).handoff?.reason).toBe('customer_request');
  });
});
