// When the order source cannot answer (a merchant API down, timing out or answering nonsense), the turn
// goes on: the customer hears that lookups are unavailable and gets a human or a callback, never "no
// such order" and never a crash.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledBot, compileBot } from './compile.ts';
import type { BotTemplate } from './template.ts';
import { conversation, recordingPorts, texts } from './test-support.ts';
import { type Order, OrderLookupUnavailable } from './types.ts';

const template = JSON.parse(
  readFileSync(new URL('../../../templates/retail/zh-CN.json', import.meta.url), 'utf8'),
) as BotTemplate;
const order: Order = { number: 'ZK202405010001', status: '已发货', phoneLast4: '8000' };

/** Answers the first `healthy` lookups, then fails like a merchant API that went down. */
function flakyPorts(healthy: number) {
  const ports = recordingPorts([order]);
  const lookup = ports.lookupOrder.bind(ports);
  ports.lookupOrder = async (number) => {
    if (ports.lookups.length >= healthy) {
      ports.lookups.push(number);
      throw new OrderLookupUnavailable('merchant API answered 503');
    }
    return lookup(number);
  };
  return ports;
}

let bot: CompiledBot;
beforeAll(() => {
  bot = compileBot({ template, orderNumberPattern: 'ZK\\d{12}' });
});

describe('order lookup unavailable', () => {
  it('says so and hands off instead of claiming the order does not exist', async () => {
    const r = await conversation(bot, flakyPorts(0)).say('帮我查下订单ZK202405010001到哪了');
    expect(texts(r)).toContain('订单系统暂时无法查询');
    expect(texts(r)).not.toContain('没有找到订单');
    expect(r.handoff).toEqual({ reason: 'order_lookup_unavailable', priority: 'normal' });
    expect(r.state.pending).toBeNull();
  });

  it('also when the source fails between the question and the phone check', async () => {
    const c = conversation(bot, flakyPorts(1));
    expect((await c.say('帮我查下订单ZK202405010001到哪了')).replies[0]?.kind).toBe('ask');
    const r = await c.say('8000');
    expect(texts(r)).toContain('订单系统暂时无法查询');
    expect(texts(r)).not.toContain('已发货');
    expect(r.handoff?.reason).toBe('order_lookup_unavailable');
  });

  it('offers a callback outside business hours', async () => {
    const ports = flakyPorts(0);
    const c = conversation(bot, ports, {
      // 2026-05-06 is a Wednesday; 15:00 UTC is 23:00 in Shanghai.
      now: new Date('2026-05-06T15:00:00Z'),
      businessHours: {
        timeZone: 'Asia/Shanghai',
        periods: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' }],
      },
      customer: { id: 'c1', phone: '13800138000' },
    });
    const r = await c.say('帮我查下订单ZK202405010001到哪了');
    expect(r.handoff).toBeNull();
    expect(texts(r)).toContain('订单系统暂时无法查询');
    expect(ports.callbacks[0]?.note).toMatch(/^\[order_lookup_unavailable\]/);
  });

  it('other port errors still surface (a bug is not an outage)', async () => {
    const ports = recordingPorts([order]);
    ports.lookupOrder = async () => {
      throw new TypeError('bug');
    };
    await expect(conversation(bot, ports).say('帮我查下订单ZK202405010001到哪了')).rejects.toThrow(TypeError);
  });
});
