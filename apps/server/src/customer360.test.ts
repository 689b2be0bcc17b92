// Agent assist over HTTP on both backends: the hand-off card of a refund the bot handed over (slots,
// intents, sentiment, extractive summary, stored at hand-off), the customer 360 overview (orders through
// the bot's lookup, history with outcomes, a merged customer), notes (sealed at rest, deletion audited and
// restricted to the author), tenancy and validation, and notes in the privacy export and erasure.
import type { CustomerExport, CustomerNote, CustomerOverview, HandoffCard } from '@zhike/contracts';
import { createIdGenerator, systemClock } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import BetterSqlite3 from 'better-sqlite3';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const NOTE = '老客户，上次退款很不满意，说话要耐心';
const ORDER = 'ZK20261125003';

describe.each(testBackends)('agent assist on %s', (backend: Backend) => {
  let t: TestApp;
  let key: string;
  let workspaceId: string;
  let owner: TestSession;
  let agent: TestSession;
  let other: TestSession;
  let seq = 0;
  const inject = (options: InjectOptions) => t.app.inject(options);
  const bearer = () => ({ authorization: `Bearer ${key}` });

  /** Rows as the database holds them, without the app's codec. */
  async function rawRows(query: string): Promise<Record<string, unknown>[]> {
    if (backend === 'sqlite') {
      const db = new BetterSqlite3(t.database.url, { readonly: true });
      try {
        return db.prepare(query).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      return (await client.query(query)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }

  async function addUser(email: string, role: 'agent' | 'owner', ws = workspaceId) {
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId: ws,
      email,
      name: email.split('@')[0] ?? email,
      role,
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword('assist-password'),
    });
    return t.login(email, 'assist-password');
  }

  /** One customer message through the API channel; waits until the bot's turn is stored. */
  async function say(customer: string, text: string) {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: bearer(),
      payload: { customer: { externalId: customer }, text, messageId: `assist-${++seq}` },
    });
    expect(res.statusCode).toBe(200);
    const { conversationId, messageId } = res.json() as { conversationId: string; messageId: string };
    await eventually(async () => {
      const all = (
        await inject({ url: `/api/v1/conversations/${conversationId}/messages?limit=200`, headers: bearer() })
      ).json().messages as { id: string }[];
      return all.findIndex((m) => m.id === messageId) < all.length - 1;
    }, 30_000);
    return conversationId;
  }

  const customerOf = async (conversationId: string) =>
    (
      (await inject({ url: `/api/v1/conversations/${conversationId}`, headers: owner.headers })).json() as {
        customer: { id: string };
      }
    ).customer.id;

  let refundConversation = '';
  let refundCustomer = '';

  beforeAll(async () => {
    t = await createTestApp(backend);
    key = await t.apiKey();
    workspaceId = await t.demoWorkspaceId();
    owner = await t.login();
    agent = await addUser(`agent-${backend}@assist.test`, 'agent');
    const newId = createIdGenerator(systemClock);
    const otherWs = newId();
    const now = new Date().toISOString();
    await t.app.zhike.db.directory.seedWorkspace({
      workspace: {
        id: otherWs,
        slug: `assist-other-${backend}`,
        name: 'Other',
        locale: 'en-US',
        createdAt: now,
      },
      owner: {
        id: newId(),
        workspaceId: otherWs,
        email: `owner-${backend}@assist-other.test`,
        name: 'Other owner',
        role: 'owner',
        createdAt: now,
        passwordHash: await hashPassword('assist-password'),
      },
      inboxes: [],
      faqs: [],
    });
    other = await t.login(`owner-${backend}@assist-other.test`, 'assist-password');

    refundConversation = await say('assist-refund', '我要申请退款');
    await say('assist-refund', ORDER);
    // Anger mid-form: the bot hands over at once (urgency), with the order number already collected.
    await say('assist-refund', '衣服收到就有破洞，质量太差了，非常生气');
    refundCustomer = await customerOf(refundConversation);
  }, 120_000);
  afterAll(async () => t?.close());

  describe('hand-off card', () => {
    it('is stored at hand-off with the order number, intents, sentiment, bot answers and a summary', async () => {
      const stored = await eventually(
        async () =>
          (await t.app.zhike.db.forWorkspace(workspaceId).handoffCards.get(refundConversation)) ?? undefined,
      );
      expect(stored.slots.order_number).toBe(ORDER);
      const res = await inject({
        url: `/api/v1/conversations/${refundConversation}/handoff`,
        headers: agent.headers,
      });
      expect(res.statusCode).toBe(200);
      const card = res.json() as HandoffCard;
      expect(card.computedAt).toBe(stored.computedAt); // served from storage, not recomputed
      expect(card.slots.order_number).toBe(ORDER);
      expect(card.reason).toBe('urgency:complaint');
      expect(card.intents.map((i) => i.target)).toEqual(['complaint', 'refund_request']);
      // Named by the template's labels, not by a customer's example wording.
      expect(card.intents.map((i) => i.label)).toEqual(['投诉', '退款申请']);
      // A card stored before intents had labels (the first example then) is named as the bot names it now.
      const store = t.app.zhike.db.forWorkspace(workspaceId);
      await store.handoffCards.save({
        ...stored,
        intents: stored.intents.map((i) => ({
          ...i,
          label: i.target === 'complaint' ? '我要投诉你们' : i.label,
        })),
      });
      const old = await inject({
        url: `/api/v1/conversations/${refundConversation}/handoff`,
        headers: agent.headers,
      });
      expect((old.json() as HandoffCard).intents.map((i) => i.label)).toEqual(['投诉', '退款申请']);
      expect(card.intents.length).toBeGreaterThan(0);
      for (const i of card.intents) expect(i.confidence).toBeGreaterThanOrEqual(0);
      expect(card.sentiment.points).toHaveLength(3);
      expect(card.sentiment.points[2]!.score).toBeLessThan(0); // "质量太差了，非常生气"
      expect(card.botAnswers.length).toBeGreaterThan(0);
      expect(card.summary.kind).toBe('extractive');
      expect(card.summary.language).toBe('zh');
      expect(card.summary.text).toContain(ORDER);
      expect(card.summary.text).toContain('破洞');
      expect(card.summary.text).toContain('转人工原因：紧急：顾客投诉');
      expect(card.botAnswers.map((a) => a.text)).toContain('请提供需要退款的订单号。');
    });

    it('refreshes on demand', async () => {
      const before = (
        await inject({ url: `/api/v1/conversations/${refundConversation}/handoff`, headers: agent.headers })
      ).json() as HandoffCard;
      const res = await inject({
        method: 'POST',
        url: `/api/v1/conversations/${refundConversation}/handoff/refresh`,
        headers: agent.headers,
      });
      expect(res.statusCode).toBe(200);
      const after = res.json() as HandoffCard;
      expect(after.computedAt >= before.computedAt).toBe(true);
      expect(after.summary.text).toBe(before.summary.text); // deterministic
    });

    it('is not found for a conversation the bot kept, for another workspace, and for a bad id', async () => {
      const kept = await say('assist-kept', '你们几点营业？');
      const res = await inject({ url: `/api/v1/conversations/${kept}/handoff`, headers: agent.headers });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      for (const method of ['GET', 'POST'] as const) {
        const url = `/api/v1/conversations/${refundConversation}/handoff${method === 'POST' ? '/refresh' : ''}`;
        expect((await inject({ method, url, headers: other.headers })).statusCode).toBe(404);
      }
      expect(
        (await inject({ url: '/api/v1/conversations/nope/handoff', headers: agent.headers })).statusCode,
      ).toBe(400);
    });
  });

  describe('customer 360', () => {
    it('shows identities, the order the customer gave (via the bot lookup), history with outcomes and tickets', async () => {
      const res = await inject({
        url: `/api/v1/customers/${refundCustomer}/overview`,
        headers: agent.headers,
      });
      expect(res.statusCode).toBe(200);
      const o = res.json() as CustomerOverview;
      expect(o.customer.id).toBe(refundCustomer);
      expect(o.requestedId).toBe(refundCustomer);
      expect(o.identities).toEqual([
        expect.objectContaining({ channel: 'external', value: 'assist-refund' }),
      ]);
      expect(o.value?.tier).toBeDefined();
      expect(o.orders.source).toBe('orders');
      expect(o.orders.items).toEqual([expect.objectContaining({ number: ORDER, via: 'conversation' })]);
      expect(o.conversations).toHaveLength(1);
      expect(o.conversations[0]).toMatchObject({
        id: refundConversation,
        outcome: 'handed_off',
        channel: 'api',
      });
      expect(o.conversations[0]!.intent).toBe('投诉'); // the label, not the customer's words
      expect(o.lastCsat).toBeNull();

      // The customer rated the conversation: the history and "last CSAT" show it.
      const ratedAt = new Date().toISOString();
      await t.app.zhike.db
        .forWorkspace(workspaceId)
        .assist.rate(refundConversation, { score: 2, comment: '太慢了', ratedAt });
      const rated = (
        await inject({ url: `/api/v1/customers/${refundCustomer}/overview`, headers: agent.headers })
      ).json() as CustomerOverview;
      expect(rated.conversations[0]!.csat).toBe(2);
      expect(rated.lastCsat).toEqual({
        conversationId: refundConversation,
        score: 2,
        comment: '太慢了',
        at: ratedAt,
      });
    });

    it('validates ids and keeps to the workspace', async () => {
      expect((await inject({ url: '/api/v1/customers/x/overview', headers: agent.headers })).statusCode).toBe(
        400,
      );
      const stranger = await inject({
        url: `/api/v1/customers/${refundCustomer}/overview`,
        headers: other.headers,
      });
      expect(stranger.statusCode).toBe(404);
      expect(
        (
          await inject({
            method: 'POST',
            url: `/api/v1/customers/${refundCustomer}/notes`,
            headers: other.headers,
            payload: { body: 'x' },
          })
        ).statusCode,
      ).toBe(404);
    });

    it('answers for a merged-away id with the survivor, history and notes of both', async () => {
      const first = await say('assist-merge-a', '你们几点营业？');
      const second = await say('assist-merge-b', '可以开发票吗？');
      const survivor = await customerOf(first);
      const absorbed = await customerOf(second);
      const note = await inject({
        method: 'POST',
        url: `/api/v1/customers/${absorbed}/notes`,
        headers: agent.headers,
        payload: { body: '要开专票' },
      });
      expect(note.statusCode).toBe(201);
      const merged = await inject({
        method: 'POST',
        url: `/api/v1/customers/${survivor}/merge`,
        headers: agent.headers,
        payload: { absorbedCustomerId: absorbed },
      });
      expect(merged.statusCode).toBe(200);
      const o = (
        await inject({ url: `/api/v1/customers/${absorbed}/overview`, headers: agent.headers })
      ).json() as CustomerOverview;
      expect(o.customer.id).toBe(survivor);
      expect(o.requestedId).toBe(absorbed);
      expect(o.conversations.map((c) => c.id).sort()).toEqual([first, second].sort());
      expect(o.identities.map((i) => i.value).sort()).toEqual(['assist-merge-a', 'assist-merge-b']);
      // Re-sealed with the survivor's key: still readable once the absorbed customer's key is gone.
      expect(o.notes.map((n) => n.body)).toEqual(['要开专票']);
    });
  });

  describe('notes', () => {
    it('adds a note sealed at rest, refuses empty ones, and only the author or a supervisor deletes', async () => {
      for (const payload of [
        { body: '' },
        { body: '   ' },
        {},
        { body: 'x'.repeat(2001) },
        { body: 'a', x: 1 },
      ]) {
        const res = await inject({
          method: 'POST',
          url: `/api/v1/customers/${refundCustomer}/notes`,
          headers: agent.headers,
          payload,
        });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      }
      const res = await inject({
        method: 'POST',
        url: `/api/v1/customers/${refundCustomer}/notes`,
        headers: agent.headers,
        payload: { body: NOTE },
      });
      expect(res.statusCode).toBe(201);
      const note = res.json() as CustomerNote;
      expect(note).toMatchObject({ body: NOTE, customerId: refundCustomer, authorName: `agent-${backend}` });

      const rows = await rawRows(`select body, customer_id from customer_notes where id = '${note.id}'`);
      expect(rows).toHaveLength(1);
      expect(String(rows[0]!.body)).toMatch(/^zk1:/);
      expect(String(rows[0]!.body)).not.toContain('退款');

      const overview = (
        await inject({ url: `/api/v1/customers/${refundCustomer}/overview`, headers: owner.headers })
      ).json() as CustomerOverview;
      expect(overview.notes.map((n) => n.body)).toContain(NOTE);

      // Another agent may not delete it; a bad note id is a 400; an unknown one a 404.
      const colleague = await addUser(`colleague-${backend}@assist.test`, 'agent');
      const url = `/api/v1/customers/${refundCustomer}/notes/${note.id}`;
      expect((await inject({ method: 'DELETE', url, headers: colleague.headers })).statusCode).toBe(403);
      expect(
        (
          await inject({
            method: 'DELETE',
            url: `/api/v1/customers/${refundCustomer}/notes/x`,
            headers: agent.headers,
          })
        ).statusCode,
      ).toBe(400);
      expect((await inject({ method: 'DELETE', url, headers: other.headers })).statusCode).toBe(404);
      const deleted = await inject({ method: 'DELETE', url, headers: agent.headers });
      expect(deleted.statusCode).toBe(204);
      expect((await inject({ method: 'DELETE', url, headers: agent.headers })).statusCode).toBe(404);

      const after = await rawRows(`select body, deleted_at from customer_notes where id = '${note.id}'`);
      expect(after[0]!.body).toBeNull();
      expect(after[0]!.deleted_at).not.toBeNull();
      const audit = await rawRows(`select details from audit_log where action = 'customer.note_deleted'`);
      expect(audit.map((r) => JSON.parse(String(r.details)))).toContainEqual({
        noteId: note.id,
        authorUserId: note.authorUserId,
      });
    });

    it('are in the privacy export and gone after erasure', async () => {
      const conversation = await say('assist-erase', '我要投诉');
      const customer = await customerOf(conversation);
      await inject({
        method: 'POST',
        url: `/api/v1/customers/${customer}/notes`,
        headers: agent.headers,
        payload: { body: '投诉过两次' },
      });
      await eventually(
        async () =>
          (await t.app.zhike.db.forWorkspace(workspaceId).handoffCards.get(conversation)) ?? undefined,
      );
      const exported = await inject({ url: `/api/v1/customers/${customer}/export`, headers: owner.headers });
      expect(exported.statusCode).toBe(200);
      expect((exported.json() as CustomerExport).notes.map((n) => n.body)).toEqual(['投诉过两次']);

      const erase = await inject({
        method: 'POST',
        url: `/api/v1/customers/${customer}/erase`,
        headers: owner.headers,
        payload: { confirm: 'ERASE' },
      });
      expect(erase.statusCode).toBe(200);
      expect(await rawRows(`select id from customer_notes where customer_id = '${customer}'`)).toEqual([]);
      expect(
        await rawRows(`select customer_id from handoff_cards where conversation_id = '${conversation}'`),
      ).toEqual([]);
    });
  });
});
