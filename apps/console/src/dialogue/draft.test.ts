// The editor keeps only real differences from the template in the overrides document.
import type { DialogueFormView, DialogueIntentView } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import {
  deleteCustomIntent,
  editForm,
  editTemplateIntent,
  resetIntent,
  setIntentEnabled,
  templateExamples,
  upsertCustomIntent,
} from './draft.ts';

const orderStatus: DialogueIntentView = {
  name: 'order_status',
  label: '订单查询',
  description: null,
  origin: 'template',
  enabled: true,
  examples: ['我的订单到哪了', '查一下物流', '快递到哪了'],
  handler: { type: 'action', action: 'order.lookup', slots: ['order_number'], reply: '{{order.status}}' },
};

const refund: DialogueFormView = {
  id: 'refund',
  origin: 'template',
  slots: [{ name: 'reason', entity: null, prompt: '请说明原因', optional: false }],
  policy: '七天无理由',
  confirm: '确认吗？',
  done: '已提交 {{ticket.number}}',
  submit: { action: 'ticket.create', ticketType: 'refund' },
};

describe('dialogue draft', () => {
  it('an unchanged save of a template intent leaves no override', () => {
    const edit = {
      name: 'order_status',
      description: '',
      examples: orderStatus.examples,
      handler: orderStatus.handler,
    };
    expect(editTemplateIntent({}, orderStatus, edit)).toEqual({});
  });

  it('keeps added and removed examples and a changed handler, relative to the template', () => {
    const next = editTemplateIntent({}, orderStatus, {
      name: 'order_status',
      description: '',
      examples: ['我的订单到哪了', '快递到哪了', ' 包裹在哪 ', ''],
      handler: { type: 'handoff', reason: 'order_desk', priority: 'normal' },
    });
    expect(next).toEqual({
      intents: {
        order_status: {
          addExamples: ['包裹在哪'],
          removeExamples: ['查一下物流'],
          handler: { type: 'handoff', reason: 'order_desk', priority: 'normal' },
        },
      },
    });
    // Seen again as the server shows it (overridden), the template's own examples are recovered.
    const shown = {
      ...orderStatus,
      origin: 'overridden' as const,
      examples: ['我的订单到哪了', '快递到哪了', '包裹在哪'],
    };
    expect(templateExamples(shown, next.intents?.order_status).sort()).toEqual(
      [...orderStatus.examples].sort(),
    );
    expect(resetIntent(next, 'order_status')).toEqual({});
  });

  it('switches intents off and on, custom ones in place', () => {
    const off = setIntentEnabled({}, orderStatus, false);
    expect(off).toEqual({ intents: { order_status: { enabled: false } } });
    expect(setIntentEnabled(off, orderStatus, true)).toEqual({});
    const custom = upsertCustomIntent({}, null, {
      name: 'live_stream',
      description: ' ',
      examples: ['今晚直播吗', '几点开播', '直播间在哪', '几点开播'],
      handler: { type: 'reply', text: '每晚 8 点' },
    });
    expect(custom.customIntents).toEqual([
      {
        name: 'live_stream',
        examples: ['今晚直播吗', '几点开播', '直播间在哪'],
        handler: { type: 'reply', text: '每晚 8 点' },
      },
    ]);
    const view = { ...orderStatus, name: 'live_stream', origin: 'custom' as const };
    expect(setIntentEnabled(custom, view, false).customIntents?.[0]?.enabled).toBe(false);
    expect(deleteCustomIntent(custom, 'live_stream')).toEqual({});
    // A label is kept trimmed; a blank one is left out rather than stored empty.
    const labelled = upsertCustomIntent(custom, 'live_stream', {
      name: 'live_stream',
      label: ' 直播咨询 ',
      description: '',
      examples: ['今晚直播吗', '几点开播', '直播间在哪'],
      handler: { type: 'reply', text: '每晚 8 点' },
    });
    expect(labelled.customIntents?.[0]?.label).toBe('直播咨询');
    const unlabelled = upsertCustomIntent(labelled, 'live_stream', {
      name: 'live_stream',
      label: '  ',
      description: '',
      examples: ['今晚直播吗', '几点开播', '直播间在哪'],
      handler: { type: 'reply', text: '每晚 8 点' },
    });
    expect(unlabelled.customIntents?.[0]).not.toHaveProperty('label');
  });

  it('a form keeps only the changed texts and slot settings', () => {
    const edit = {
      slots: [{ name: 'reason', prompt: '请说明原因', optional: true }],
      policy: '十五天可退',
      confirm: '确认吗？',
      done: '已提交 {{ticket.number}}',
    };
    expect(editForm({}, refund, edit)).toEqual({
      forms: { refund: { slots: { reason: { optional: true } }, policy: '十五天可退' } },
    });
    expect(
      editForm({}, refund, {
        ...edit,
        slots: [{ name: 'reason', prompt: '请说明原因', optional: false }],
        policy: '七天无理由',
      }),
    ).toEqual({});
  });
});
