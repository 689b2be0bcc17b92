// "我的工单进度" through the API channel: the demo shop's bot reads the asking customer's own tickets
// (by the conversation's customer, in the workspace) and answers with each one's status in words, the
// assignee's name and the running SLA deadline; a customer without tickets hears so and is offered a
// person. One backend: the reading is a repository call both backends already share.
import type { TicketSlaView, TicketView } from '@zhike/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

describe('the bot answers ticket progress (sqlite)', () => {
  let t: TestApp;
  let session: TestSession;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    session = await t.login();
  });
  afterAll(async () => t?.close());

  const api = async <T>(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<T> => {
    const res = await t.app.inject({
      method,
      url,
      headers: session.headers,
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as T;
  };

  /** One customer message through the API channel; what came back after it once the bot's turn is stored. */
  async function say(customer: string, text: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${await t.apiKey()}` },
      payload: { customer: { externalId: customer }, text, messageId: `bt-${++seq}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { conversationId, messageId } = res.json() as { conversationId: string; messageId: string };
    const replies = await eventually(async () => {
      const { messages } = await api<{ messages: { id: string; author: string; text: string }[] }>(
        'GET',
        `/api/v1/conversations/${conversationId}/messages?limit=200`,
      );
      const after = messages.slice(messages.findIndex((m) => m.id === messageId) + 1);
      return after.length > 0 ? after : undefined;
    }, 30_000);
    return { conversationId, text: replies.map((m) => m.text).join('\n') };
  }

  it('lists the customer’s open ticket with its status, assignee and due time', async () => {
    await api('POST', '/api/v1/sla/policies', {
      name: '全天候',
      conditions: { priority: null, category: null, customerTier: null },
      targets: { first_response: 240, next_response: null, resolution: 2880 },
      businessHours: false,
      escalation: { notifySupervisors: false, raisePriority: false, reassignToUserId: null },
      enabled: true,
    });
    const first = await say('bt-owner', '你好');
    const { ticket } = await api<TicketView>('POST', '/api/v1/tickets', {
      subject: '扫地机器人不充电',
      conversationId: first.conversationId,
      assigneeId: session.info.user.id,
    });
    await api('POST', `/api/v1/tickets/${ticket.id}/status`, { status: 'open' });
    const resolution = await eventually(async () => {
      const { clocks } = await api<TicketSlaView>('GET', `/api/v1/tickets/${ticket.id}/sla`);
      return clocks.find((c) => c.metric === 'resolution' && c.dueAt);
    });
    const due = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Asia/Shanghai',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(resolution.dueAt as string));
    const part = (type: string) => due.find((p) => p.type === type)?.value;

    const answer = await say('bt-owner', '我的工单进度');
    expect(answer.text).toContain(
      `${ticket.number}「扫地机器人不充电」：处理中，由${session.info.user.name}负责，` +
        `预计 ${part('month')}月${part('day')}日 ${part('hour')}:${part('minute')} 前处理完成。`,
    );
    expect(answer.text).toMatch(/^为您查到 1 张工单：/);
  }, 60_000);

  it('tells another customer they have none, never someone else’s, and offers a person', async () => {
    const answer = await say('bt-stranger', '我报修的单子怎么样了');
    expect(answer.text).toMatch(/^没有查到您名下的工单。/);
    expect(answer.text).not.toContain('扫地机器人');
    await say('bt-stranger', '需要');
    const conversation = await api<{ handedOff: boolean }>(
      'GET',
      `/api/v1/conversations/${answer.conversationId}`,
    );
    expect(conversation.handedOff).toBe(true);
  }, 60_000);
});
