import { describe, expect, it } from 'vitest';
import type { ReplyContext } from './buildReplyContext.ts';
import { dialogueOrderNumber } from './buildReplyContext.ts';
import { fillOnSend, fillReplyVariables } from './fillReplyVariables.ts';
import { searchReplyTemplates } from './listReplyTemplates.ts';
import { checkReplyTemplate, normaliseReplyInput, type ReplyTemplate } from './replyTemplates.ts';

const context = (patch: Partial<ReplyContext> = {}): ReplyContext => ({
  customer: { name: '王小明' },
  order: {
    number: 'DD20261125001',
    status: '已发货',
    carrier: '顺丰',
    trackingNumber: 'SF123',
    total: '158.00',
    items: '保温杯 × 2',
    source: 'dialogue',
  },
  agent: { name: '小李' },
  variables: { 'shop.name': '演示小店' },
  ...patch,
});

describe('fillReplyVariables', () => {
  it('fills the customer, order, agent and shop variables', () => {
    const filled = fillReplyVariables(
      '您好 {{customer.name}}，{{shop.name}}的{{ agent.name }}为您服务。订单 {{order.number}} {{order.status}}，' +
        '{{order.carrier}} {{order.trackingNumber}} / {{order.tracking_number}}，{{order.items}} 共 {{order.total}} 元',
      context(),
      { personal: 'fill' },
    );
    expect(filled).toEqual({
      text: '您好 王小明，演示小店的小李为您服务。订单 DD20261125001 已发货，顺丰 SF123 / SF123，保温杯 × 2 共 158.00 元',
      missing: [],
      deferred: [],
    });
  });

  it('leaves the customer’s name for the send by default (agents see it masked)', () => {
    expect(fillReplyVariables('您好 {{customer.name}}，{{agent.name}} 为您服务', context())).toEqual({
      text: '您好 {{customer.name}}，小李 为您服务',
      missing: [],
      deferred: ['customer.name'],
    });
  });

  it('leaves what it cannot fill as written and reports each once, in order', () => {
    const filled = fillReplyVariables(
      '{{order.number}} 的快递是 {{order.carrier}}，{{customer.name}}，再次确认 {{order.number}}，{{shop.hours}}',
      context({ order: null, customer: { name: null }, variables: {} }),
      { personal: 'fill' },
    );
    expect(filled.text).toBe(
      '{{order.number}} 的快递是 {{order.carrier}}，{{customer.name}}，再次确认 {{order.number}}，{{shop.hours}}',
    );
    expect(filled.missing).toEqual(['order.number', 'order.carrier', 'customer.name', 'shop.hours']);
  });

  it('an order known only by the number the customer gave fills the number, not the rest', () => {
    const filled = fillReplyVariables(
      '订单 {{order.number}}：{{order.status}}',
      context({
        order: {
          number: 'X1',
          status: null,
          carrier: null,
          trackingNumber: null,
          total: null,
          items: null,
          source: 'dialogue',
        },
      }),
    );
    expect(filled).toEqual({ text: '订单 X1：{{order.status}}', missing: ['order.status'], deferred: [] });
  });

  it('braces inside a value never become placeholders (no second pass, nothing reported)', () => {
    const filled = fillReplyVariables(
      'Hi {{customer.name}}, this is {{agent.name}}',
      context({ customer: { name: '{{agent.name}} }}x{{' }, agent: { name: 'Li' } }),
      { personal: 'fill' },
    );
    expect(filled.text).toBe('Hi { {agent.name} } } }x{ {, this is Li');
    expect(filled.text).not.toMatch(/\{\{|\}\}/);
    expect(filled.missing).toEqual([]);
  });

  it('a blank value counts as missing', () => {
    expect(
      fillReplyVariables('{{customer.name}}', context({ customer: { name: '  ' } }), { personal: 'fill' })
        .missing,
    ).toEqual(['customer.name']);
  });
});

describe('fillOnSend', () => {
  it('puts the customer’s name in as the message is sent', () => {
    expect(fillOnSend('您好 {{customer.name}}，订单已受理', { name: '王小明' })).toBe(
      '您好 王小明，订单已受理',
    );
    expect(fillOnSend('Hi {{ customer.name }}!', { name: ' Ann ' })).toBe('Hi Ann!');
  });

  it('drops an unknown name with the space before it, never sending a placeholder', () => {
    expect(fillOnSend('您好 {{customer.name}}，订单已受理', { name: null })).toBe('您好，订单已受理');
    expect(fillOnSend('Hi {{customer.name}}, thanks', null)).toBe('Hi, thanks');
  });

  it('leaves other text alone and keeps braces in a name inert', () => {
    expect(fillOnSend('订单 {{order.number}}', { name: 'x' })).toBe('订单 {{order.number}}');
    expect(fillOnSend('{{customer.name}}', { name: '{{agent.name}}' })).toBe('{ {agent.name} }');
  });
});

describe('dialogueOrderNumber', () => {
  it('reads the remembered number, then one being verified, then a form slot', () => {
    expect(dialogueOrderNumber({ memory: { order_number: 'A1' }, pending: { orderNumber: 'B2' } })).toBe(
      'A1',
    );
    expect(dialogueOrderNumber({ memory: {}, pending: { kind: 'verify', orderNumber: 'B2' } })).toBe('B2');
    expect(
      dialogueOrderNumber({ memory: {}, pending: { kind: 'form', values: { order_number: 'C3' } } }),
    ).toBe('C3');
    expect(dialogueOrderNumber(null)).toBeNull();
    expect(dialogueOrderNumber({ memory: { order_number: 7 } })).toBeNull();
  });
});

describe('checkReplyTemplate', () => {
  const input = normaliseReplyInput({
    shortcut: ' /Refund ',
    title: ' 退款时效 ',
    body: '{{customer.name}} {{shop.name}}',
    intents: ['refund_request'],
    compliance: true,
    locale: 'zh-CN',
  });

  it('normalises the shortcut and accepts known intents and variables', () => {
    expect(input.shortcut).toBe('refund');
    expect(
      checkReplyTemplate(input, { intents: new Set(['refund_request']), shopVariables: ['shop.name'] }),
    ).toEqual([]);
  });

  it('points at each bad field', () => {
    const problems = checkReplyTemplate(
      { ...input, shortcut: 'a b', title: '', body: '{{order.numbr}}', intents: ['nope', 'bad id!'] },
      { intents: new Set(['refund_request']), shopVariables: [] },
    );
    expect(problems.map((p) => p.path)).toEqual(['shortcut', 'title', 'intents/0', 'intents/1', 'body']);
    expect(problems.at(-1)?.message).toContain('{{order.numbr}}');
  });

  it('a compliance template must name its intents', () => {
    expect(checkReplyTemplate({ ...input, intents: [] }).map((p) => p.path)).toEqual(['intents']);
  });
});

describe('searchReplyTemplates', () => {
  const t = (shortcut: string, title: string, body = ''): ReplyTemplate => ({
    id: shortcut,
    shortcut,
    title,
    body,
    intents: [],
    compliance: false,
    locale: 'zh-CN',
    source: null,
    createdBy: null,
    createdAt: '',
    updatedAt: '',
    archivedAt: null,
  });
  const all = [
    t('thanks', '感谢'),
    t('refund', '退款时效'),
    t('xrefund', '其他'),
    t('ship', '发货', '退款后重新发货'),
  ];

  it('ranks shortcut prefix, shortcut, title, body; nothing for no match', () => {
    expect(searchReplyTemplates(all, '/ref').map((x) => x.id)).toEqual(['refund', 'xrefund']);
    expect(searchReplyTemplates(all, '退款').map((x) => x.id)).toEqual(['refund', 'ship']);
    expect(searchReplyTemplates(all, 'zzz')).toEqual([]);
    expect(searchReplyTemplates(all, ' ')).toHaveLength(4);
  });
});
