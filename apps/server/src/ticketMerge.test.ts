// Merging duplicate tickets over the API on both backends: the duplicate closes pointing at the survivor,
// which takes its watchers, orders, open complaints and (having none) its conversation; the duplicate's
// notes stay on its own timeline, listed from the survivor; the customer hears nothing of the duplicate's
// closing; different customers need force; nonsense merges are refused.
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

describe.each(testBackends)('ticket merge on %s', { timeout: 120_000 }, (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let agent: TestSession;
  let agentId = '';
  let key = '';
  let workspaceId = '';

  const inject = (opts: { method?: 'GET' | 'POST'; url: string; payload?: unknown; as?: TestSession }) =>
    t.app.inject({
      method: opts.method ?? 'GET',
      url: opts.url,
      headers: (opts.as ?? owner).headers,
      ...(opts.payload === undefined ? {} : { payload: opts.payload as object }),
    });
  const say = async (externalId: string, text: string, messageId: string) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/inbound',
        headers: { authorization: `Bearer ${key}` },
        payload: { customer: { externalId }, text, messageId },
      })
    ).json() as { conversationId: string };
  const open = async (payload: Record<string, unknown>, as?: TestSession) => {
    const res = await inject({ method: 'POST', url: '/api/v1/tickets', payload, ...(as ? { as } : {}) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().ticket as {
      id: string;
      number: string;
      customerId: string;
      conversationId: string | null;
    };
  };
  const merge = (id: string, payload: unknown) =>
    inject({ method: 'POST', url: `/api/v1/tickets/${id}/merge`, payload, as: agent });

  beforeAll(async () => {
    t = await createTestApp(backend);
    owner = await t.login();
    key = await t.apiKey();
    workspaceId = await t.demoWorkspaceId();
    ({ id: agentId, session: agent } = await t.signInNewUser({ email: 'zhao@shop.test', name: '赵磊' }));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('closes the duplicate into the survivor, carrying watchers, orders, complaints and the conversation', async () => {
    const { conversationId } = await say('merge-customer', '冰箱不制冷，上周也报过', 'mg-1');
    // The duplicate: from the conversation, worked on (the customer was told it is open), with a note.
    const duplicate = await open(
      { subject: '冰箱不制冷', conversationId, assigneeId: agentId, orderNumbers: ['ZK1001'] },
      agent,
    );
    await inject({
      method: 'POST',
      url: `/api/v1/tickets/${duplicate.id}/comments`,
      as: agent,
      payload: { body: '客户说压缩机有异响', visibility: 'internal' },
    });
    const customerId = duplicate.customerId;
    const survivor = await open({ subject: '冰箱故障报修', customerId, orderNumbers: ['ZK1000'] });
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const at = new Date().toISOString();
    await store.complaints.open({
      id: t.app.zhike.newId(),
      sourceKey: `test:${duplicate.id}`,
      source: 'manual',
      customerId,
      conversationId,
      ticketId: duplicate.id,
      surveyId: null,
      note: null,
      openedBy: null,
      createdAt: at,
    });

    const told = async () =>
      (
        (await inject({ url: `/api/v1/conversations/${conversationId}/messages?limit=100` })).json()
          .messages as {
          text: string;
        }[]
      )
        .filter((m) => m.text.includes(duplicate.number))
        .map((m) => m.text);
    await eventually(async () => ((await told()).length === 1 ? true : undefined), 20_000);

    const merged = await merge(duplicate.id, { intoId: survivor.id, note: '同一台冰箱' });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().ticket).toMatchObject({ status: 'closed', mergedIntoId: survivor.id });
    expect(merged.json().into).toMatchObject({ conversationId, orderNumbers: ['ZK1000', 'ZK1001'] });

    const source = (await inject({ url: `/api/v1/tickets/${duplicate.id}` })).json();
    expect(source.moves).toEqual([]);
    expect(source.entries.map((e: { kind: string }) => e.kind)).toEqual(['created', 'note', 'merge']);
    expect(source.entries.at(-1)).toMatchObject({
      authorId: agentId,
      body: '同一台冰箱',
      data: { mergedIntoId: survivor.id, intoNumber: survivor.number, to: 'closed' },
    });
    const target = (await inject({ url: `/api/v1/tickets/${survivor.id}` })).json();
    expect(target.merged).toEqual([{ id: duplicate.id, number: duplicate.number, subject: '冰箱不制冷' }]);
    expect(target.watchers).toContain(agentId);
    expect(target.entries.at(-1)).toMatchObject({
      kind: 'merge',
      data: { mergedFromId: duplicate.id, fromNumber: duplicate.number, conversationId },
    });
    // The note stays on the duplicate's timeline (referenced from the survivor, not copied).
    expect(target.entries.some((e: { body: string | null }) => e.body === '客户说压缩机有异响')).toBe(false);
    expect(await store.complaints.openForTicket(survivor.id)).toHaveLength(1);
    expect(await store.complaints.openForTicket(duplicate.id)).toHaveLength(0);

    // The customer was told the duplicate was accepted, and hears nothing of its closing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await told()).toHaveLength(1);

    // Merged once; a closed ticket is not merged again, nor merged into.
    expect((await merge(duplicate.id, { intoId: survivor.id })).statusCode).toBe(409);
    expect((await merge(survivor.id, { intoId: duplicate.id })).statusCode).toBe(409);
  });

  it('refuses different customers unless forced, itself, unknown tickets and malformed bodies', async () => {
    const a = await open({ subject: '洗碗机漏水' });
    const { conversationId: convA } = await say('merge-a2', '洗碗机漏水了', 'mg-a2');
    const { conversationId: convB } = await say('merge-b', '洗碗机也漏水', 'mg-b');
    const first = await open({ subject: '洗碗机漏水', conversationId: convA });
    const second = await open({ subject: '洗碗机漏水', conversationId: convB });
    const refused = await merge(first.id, { intoId: second.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('force');
    const forced = await merge(first.id, { intoId: second.id, force: true });
    expect(forced.statusCode).toBe(200);
    // The survivor keeps its own conversation and customer.
    expect(forced.json().into).toMatchObject({ conversationId: convB, customerId: second.customerId });

    // The duplicate's customer writes again in their own conversation: the survivor, solved, reopens.
    await inject({
      method: 'POST',
      url: `/api/v1/tickets/${second.id}/status`,
      payload: { status: 'solved' },
    });
    await say('merge-a2', '还是漏水', 'mg-a3');
    await eventually(async () => {
      const now = (await inject({ url: `/api/v1/tickets/${second.id}` })).json();
      return now.ticket.status === 'open' ? now : undefined;
    }, 20_000);
    expect((await inject({ url: `/api/v1/tickets/${first.id}` })).json().ticket.status).toBe('closed');

    expect((await merge(a.id, { intoId: a.id })).statusCode).toBe(400);
    const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
    expect((await merge(a.id, { intoId: unknown })).statusCode).toBe(404);
    expect((await merge(unknown, { intoId: a.id })).statusCode).toBe(404);
    for (const payload of [
      {},
      { intoId: 'x' },
      { intoId: second.id, force: 'yes' },
      { intoId: second.id, extra: 1 },
    ])
      expect((await merge(a.id, payload)).statusCode, JSON.stringify(payload)).toBe(400);
  });
});
