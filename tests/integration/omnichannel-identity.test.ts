// Issue 6 acceptance on both backends, through HTTP: a customer who wrote on the widget under a signed
// phone and later writes from that phone on another channel lands in ONE customer timeline; an unproven
// match is only a suggestion until an agent merges it; a merge re-seals everything (the absorbed
// customer's key is gone and the survivor's data still opens); a bad signature is refused with 401 and
// stores nothing.
import { createHmac } from 'node:crypto';
import type {
  CustomerIdentityList,
  CustomerTimeline,
  IdentitySecret,
  InboxList,
  MergeResult,
  MergeSuggestionList,
  WidgetSession,
} from '@zhike/contracts';
import { testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../apps/server/src/auth/secrets.ts';
import { createTestApp, type TestApp, type TestSession } from '../../apps/server/src/testing.ts';

const sign = (secret: string, canonical: string) =>
  createHmac('sha256', secret).update(canonical).digest('hex');

describe.each(testBackends)('one customer across channels on %s', (backend) => {
  let t: TestApp;
  let owner: TestSession;
  let workspaceId: string;
  let widget: { id: string; token: string };
  let api: { id: string };
  let secret: string;
  let bearer: Record<string, string>;

  const inject = (options: InjectOptions) => t.app.inject(options);
  const timeline = async (customerId: string) => {
    const res = await inject({
      url: `/api/v1/customers/${customerId}/timeline`,
      headers: { cookie: owner.cookie },
    });
    expect(res.statusCode).toBe(200);
    return res.json() as CustomerTimeline;
  };
  const store = () => t.app.zhike.db.forWorkspace(workspaceId);
  const visitorWrites = (visitorId: string, text: string) =>
    t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
      inboxId: widget.id,
      // What the widget socket does with a visitor's message.
      identity: { kind: 'visitor', value: visitorId, verified: true, source: 'widget' },
      text,
      idempotencyKey: `visitor:${visitorId}:${text}`,
    });

  beforeAll(async () => {
    t = await createTestApp(backend, { startWorker: false });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    bearer = { authorization: `Bearer ${await t.apiKey()}` };
    const { inboxes } = (
      await inject({ url: '/api/v1/inboxes', headers: { cookie: owner.cookie } })
    ).json() as InboxList;
    const w = inboxes.find((i) => i.channel === 'widget');
    const a = inboxes.find((i) => i.channel === 'api');
    if (!w?.widgetToken || !a) throw new Error('the demo workspace needs a widget and an API inbox');
    widget = { id: w.id, token: w.widgetToken };
    api = { id: a.id };
    const res = await inject({
      url: `/api/v1/inboxes/${widget.id}/identity-secret`,
      headers: { cookie: owner.cookie },
    });
    expect(res.statusCode).toBe(200);
    secret = (res.json() as IdentitySecret).secret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // Read again: the same secret (it is only created once).
    const again = await inject({
      url: `/api/v1/inboxes/${widget.id}/identity-secret`,
      headers: { cookie: owner.cookie },
    });
    expect((again.json() as IdentitySecret).secret).toBe(secret);
  });
  afterAll(async () => t?.close());

  it('a signed widget phone and a later verified message from that phone make one timeline', async () => {
    const identity = { externalId: 'shop-user-42', name: '李雷', phone: '138 0013 8000' };
    const signature = sign(secret, 'externalId=shop-user-42&name=%E6%9D%8E%E9%9B%B7&phone=138%200013%208000');
    const session = await inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: { inbox: widget.token, identity: { ...identity, signature } },
    });
    expect(session.statusCode).toBe(200);
    const { visitorId } = session.json() as WidgetSession;
    const onWidget = await visitorWrites(visitorId, '我的快递三天没动了');

    // Later the same person texts from that phone; the SMS adapter hands over the sender as verified.
    const bySms = await t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
      inboxId: api.id,
      identity: { kind: 'phone', value: '+8613800138000', verified: true, source: 'sms' },
      text: '快递单号是 SF1234567890',
      idempotencyKey: 'sms:msg-1',
    });
    expect(bySms.conversation.customerId).toBe(onWidget.conversation.customerId);
    expect(bySms.conversation.id).not.toBe(onWidget.conversation.id);

    const view = await timeline(onWidget.conversation.customerId);
    expect(view.conversations.map((c) => c.channel).sort()).toEqual(['api', 'widget']);
    expect(view.messages.map((m) => [m.channel, m.text])).toEqual([
      ['widget', '我的快递三天没动了'],
      ['api', '快递单号是 SF1234567890'],
    ]);
    expect(view.messages.every((m) => m.inboxName.length > 0)).toBe(true);

    const ids = (
      await inject({
        url: `/api/v1/customers/${view.customerId}/identities`,
        headers: { cookie: owner.cookie },
      })
    ).json() as CustomerIdentityList;
    expect(ids.identities).toEqual(
      expect.arrayContaining([
        { channel: 'visitor', value: visitorId, verified: true, source: 'widget' },
        { channel: 'external', value: 'shop-user-42', verified: true, source: 'widget_signed' },
        // Masked for agents, like every phone.
        expect.objectContaining({ channel: 'phone', verified: true, source: 'widget_signed' }),
      ]),
    );
    expect((await store().customers.get(view.customerId))?.name).toBe('李雷');
  });

  it('an unproven match is a suggestion; the agent merges and the timeline shows both', async () => {
    // A verified customer on the widget…
    const signature = sign(secret, 'email=han.meimei%40example.cn');
    const session = (
      await inject({
        method: 'POST',
        url: '/api/v1/widget/sessions',
        payload: { inbox: widget.token, identity: { email: 'han.meimei@example.cn', signature } },
      })
    ).json() as WidgetSession;
    const onWidget = await visitorWrites(session.visitorId, '我想改收货地址');
    const survivorId = onWidget.conversation.customerId;

    // …and an API message whose email the integrator did not vouch for.
    const inbound = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: bearer,
      payload: {
        customer: { externalId: 'crm-991', email: 'Han.MeiMei@example.cn' },
        text: '地址改成幸福路 8 号',
        messageId: 'crm-m1',
      },
    });
    expect(inbound.statusCode).toBe(200);
    const apiConversation = await store().conversations.get(
      (inbound.json() as { conversationId: string }).conversationId,
    );
    const absorbedId = apiConversation?.customerId ?? '';
    expect(absorbedId).not.toBe(survivorId);
    expect((await timeline(survivorId)).messages.map((m) => m.text)).toEqual(['我想改收货地址']);

    const listed = (
      await inject({
        url: `/api/v1/customer-merge-suggestions?customerId=${survivorId}`,
        headers: { cookie: owner.cookie },
      })
    ).json() as MergeSuggestionList;
    expect(listed.suggestions).toHaveLength(1);
    const suggestion = listed.suggestions[0];
    expect(suggestion).toMatchObject({ identityKind: 'email', status: 'open' });
    expect([suggestion?.customer.id, suggestion?.candidate.id].sort()).toEqual(
      [survivorId, absorbedId].sort(),
    );

    // An agent confirms it.
    const agent = await agentSession(t, workspaceId);
    const merged = await inject({
      method: 'POST',
      url: `/api/v1/customers/${survivorId}/merge`,
      headers: agent.headers,
      payload: { absorbedCustomerId: absorbedId },
    });
    expect(merged.statusCode).toBe(200);
    expect((merged.json() as MergeResult).moved).toMatchObject({ conversations: 1, messages: 1 });

    const view = await timeline(survivorId);
    expect(view.messages.map((m) => [m.channel, m.text])).toEqual([
      ['widget', '我想改收货地址'],
      ['api', '地址改成幸福路 8 号'],
    ]);
    // The old id still leads to the customer it became.
    expect((await timeline(absorbedId)).customerId).toBe(survivorId);
    expect(
      (
        (
          await inject({ url: '/api/v1/customer-merge-suggestions', headers: { cookie: owner.cookie } })
        ).json() as MergeSuggestionList
      ).suggestions.filter((s) => s.id === suggestion?.id),
    ).toEqual([]);
    // The absorbed customer's key is already gone (nothing left to shred), yet everything opens.
    expect(await store().privacy.shredCustomerKeys(absorbedId)).toBe(0);
    expect((await store().privacy.exportCustomer(survivorId))?.conversations).toHaveLength(2);
    // A second merge of the same pair is a conflict, not a 500.
    const again = await inject({
      method: 'POST',
      url: `/api/v1/customers/${survivorId}/merge`,
      headers: agent.headers,
      payload: { absorbedCustomerId: absorbedId },
    });
    expect(again.statusCode).toBe(409);
    // Audited with the agent as actor.
    const audit = (
      await inject({ url: '/api/v1/audit?action=customer.merged', headers: { cookie: owner.cookie } })
    ).json() as { entries: { actor: { id: string }; target: { id: string } | null }[] };
    expect(audit.entries.some((e) => e.actor.id === agent.info.user.id && e.target?.id === survivorId)).toBe(
      true,
    );
  });

  it('an agent can say two suggested customers are different people', async () => {
    await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: bearer,
      payload: { customer: { externalId: 'crm-a', phone: '13911112222' }, text: '甲', messageId: 'd-1' },
    });
    await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: bearer,
      payload: { customer: { externalId: 'crm-b', phone: '139-1111-2222' }, text: '乙', messageId: 'd-2' },
    });
    const { suggestions } = (
      await inject({ url: '/api/v1/customer-merge-suggestions', headers: { cookie: owner.cookie } })
    ).json() as MergeSuggestionList;
    const phone = suggestions.find((s) => s.identityKind === 'phone');
    expect(phone).toBeDefined();
    const res = await inject({
      method: 'POST',
      url: `/api/v1/customer-merge-suggestions/${phone?.id}/dismiss`,
      headers: owner.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'dismissed' });
    const twice = await inject({
      method: 'POST',
      url: `/api/v1/customer-merge-suggestions/${phone?.id}/dismiss`,
      headers: owner.headers,
    });
    expect(twice.statusCode).toBe(409);
  });

  it('on a new channel the bot does not ask again for what the customer told it on another', async () => {
    const drain = async () => {
      for (let round = 0; round < 20; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
    };
    const botReplies = async (conversationId: string, after: string) => {
      const all = await store().messages.list(conversationId, { limit: 50 });
      return all.slice(all.findIndex((m) => m.id === after) + 1).map((m) => m.text);
    };
    const onWidget = await t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
      inboxId: widget.id,
      identity: { kind: 'visitor', value: t.app.zhike.newId(), verified: true, source: 'widget' },
      extraIdentities: [{ kind: 'phone', value: '13700001111', verified: true, source: 'widget_signed' }],
      text: '查一下订单 ZK20261125001',
      idempotencyKey: 'carry:widget-1',
    });
    await drain();
    expect((await botReplies(onWidget.conversation.id, onWidget.message.id)).length).toBeGreaterThan(0);
    const bySms = await t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
      inboxId: api.id,
      identity: { kind: 'phone', value: '137 0000 1111', verified: true, source: 'sms' },
      text: '我要申请退款',
      idempotencyKey: 'carry:sms-1',
    });
    expect(bySms.conversation.customerId).toBe(onWidget.conversation.customerId);
    await drain();
    // A stranger is asked for the order number first; this customer gave it on the widget.
    expect(await botReplies(bySms.conversation.id, bySms.message.id)).toEqual(['请简单说明退款原因。']);
  });

  it('a wrong signature is refused with 401 and stores nothing', async () => {
    const identity = { externalId: 'intruder-1', phone: '13800138000' };
    const forged = sign('not-the-secret', 'externalId=intruder-1&phone=13800138000');
    const before = await store().customers.identityHolder('phone', '+8613800138000');
    for (const signature of [forged, sign(secret, 'externalId=intruder-1&phone=13800138001')]) {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/widget/sessions',
        payload: { inbox: widget.token, identity: { ...identity, signature } },
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await store().customers.identityHolder('external', 'intruder-1')).toBeNull();
    expect(await store().customers.identityHolder('phone', '+8613800138000')).toEqual(before);
    // Rotating the secret makes signatures made with the old one fail too.
    const rotated = await inject({
      method: 'POST',
      url: `/api/v1/inboxes/${widget.id}/identity-secret/rotate`,
      headers: owner.headers,
    });
    expect(rotated.statusCode).toBe(200);
    const old = await inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: {
        inbox: widget.token,
        identity: { email: 'a@b.cn', signature: sign(secret, 'email=a%40b.cn') },
      },
    });
    expect(old.statusCode).toBe(401);
    const fresh = (rotated.json() as IdentitySecret).secret;
    const ok = await inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: {
        inbox: widget.token,
        identity: { email: 'a@b.cn', signature: sign(fresh, 'email=a%40b.cn') },
      },
    });
    expect(ok.statusCode).toBe(200);
  });
});

/** An agent of the demo workspace, signed in. */
async function agentSession(t: TestApp, workspaceId: string): Promise<TestSession> {
  const email = `agent-${t.app.zhike.newId()}@test.zhike.local`;
  await t.app.zhike.db.directory.addUser({
    id: t.app.zhike.newId(),
    workspaceId,
    email,
    name: '客服小王',
    role: 'agent',
    createdAt: new Date().toISOString(),
    passwordHash: await hashPassword('agent-password'),
  });
  return t.login(email, 'agent-password');
}
