// The HTTP product path on both backends: auth, API keys, inbound + bot, the agent's inbox, 4xx hygiene.

import { permissions, rolePermissions } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, eventually, TEST_ADMIN, type TestApp, type TestSession } from './testing.ts';

describe.each(testBackends)('server on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let key: string;
  const bearer = () => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    t = await createTestApp(backend);
    owner = await t.login();
    key = await t.apiKey();
  });
  afterAll(async () => t?.close());

  const inject = (options: InjectOptions) => t.app.inject(options);

  describe('health and docs', () => {
    it('answers /healthz, /readyz and the OpenAPI document', async () => {
      expect((await inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
      expect((await inject({ url: '/readyz' })).json()).toEqual({ status: 'ok', database: 'ok' });
      const doc = (await inject({ url: '/api/openapi.json' })).json() as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/v1/inbound', '/api/v1/conversations/{id}/messages']),
      );
      expect((await inject({ url: '/api/docs' })).statusCode).toBeLessThan(400);
    });
  });

  describe('auth', () => {
    it('signs in with a session cookie that is httpOnly and SameSite=Lax', async () => {
      const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: TEST_ADMIN });
      expect(res.statusCode).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'zhike_session');
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe('Lax');
      expect(cookie?.secure).toBeFalsy();
      expect(res.json()).toMatchObject({
        user: { email: TEST_ADMIN.email, role: 'owner' },
        workspace: { slug: 'demo', name: '演示小店', locale: 'zh-CN' },
      });
    });

    it('refuses a wrong password and an unknown email alike', async () => {
      for (const payload of [
        { email: TEST_ADMIN.email, password: 'nope-nope' },
        { email: 'nobody@x.test', password: 'nope-nope' },
      ]) {
        const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().type).toBe('urn:zhike:problem:invalid_credentials');
      }
    });

    it('throttles repeated failures', async () => {
      const payload = { email: 'victim@x.test', password: 'wrong-wrong' };
      const codes: number[] = [];
      for (let i = 0; i < 12; i++)
        codes.push((await inject({ method: 'POST', url: '/api/v1/auth/login', payload })).statusCode);
      // The package's lockout policy: 5 failures lock the account (signIn.test.ts covers the rest).
      expect(codes.slice(0, 5).every((c) => c === 401)).toBe(true);
      expect(codes.at(-1)).toBe(429);
    });

    it('knows who is signed in, and signs out', async () => {
      const session = await t.login();
      const me = await inject({ url: '/api/v1/auth/me', headers: { cookie: session.cookie } });
      expect(me.json()).toMatchObject({ user: { email: TEST_ADMIN.email }, csrfToken: session.csrf });
      // The owner's permissions, in catalogue order, the same at login and from /auth/me.
      expect(me.json().permissions).toEqual(permissions.filter((p) => rolePermissions.owner.has(p)));
      expect(session.info.permissions).toEqual(me.json().permissions);
      const out = await inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers });
      expect(out.statusCode).toBe(204);
      expect((await inject({ url: '/api/v1/auth/me', headers: { cookie: session.cookie } })).statusCode).toBe(
        401,
      );
    });

    it('requires the CSRF header on cookie-authenticated writes', async () => {
      const inbox = (await inject({ url: '/api/v1/inboxes', headers: { cookie: owner.cookie } })).json()
        .inboxes[0];
      const without = await inject({
        method: 'PATCH',
        url: `/api/v1/inboxes/${inbox.id}`,
        headers: { cookie: owner.cookie },
        payload: { name: 'x' },
      });
      expect(without.statusCode).toBe(403);
      expect(without.json().type).toBe('urn:zhike:problem:csrf_failed');
      const wrong = await inject({
        method: 'PATCH',
        url: `/api/v1/inboxes/${inbox.id}`,
        headers: { cookie: owner.cookie, 'x-csrf-token': 'forged' },
        payload: { name: 'x' },
      });
      expect(wrong.statusCode).toBe(403);
    });

    it('manages API keys: shown once, listed by prefix, revocable', async () => {
      const created = await inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: owner.headers,
        payload: { name: 'shop' },
      });
      expect(created.statusCode).toBe(201);
      const { apiKey, secret } = created.json();
      expect(secret).toMatch(/^zk_/);
      expect(secret.startsWith(apiKey.prefix)).toBe(true);
      const list = (await inject({ url: '/api/v1/api-keys', headers: { cookie: owner.cookie } })).json();
      expect(JSON.stringify(list)).not.toContain(secret);
      expect(list.apiKeys.map((k: { id: string }) => k.id)).toContain(apiKey.id);
      const auth = { authorization: `Bearer ${secret}` };
      expect((await inject({ url: '/api/v1/conversations', headers: auth })).statusCode).toBe(200);
      // An API key cannot manage keys or act as a person.
      expect((await inject({ url: '/api/v1/api-keys', headers: auth })).statusCode).toBe(403);
      const del = await inject({
        method: 'DELETE',
        url: `/api/v1/api-keys/${apiKey.id}`,
        headers: owner.headers,
      });
      expect(del.statusCode).toBe(204);
      expect((await inject({ url: '/api/v1/conversations', headers: auth })).statusCode).toBe(401);
      expect(
        (await inject({ url: '/api/v1/conversations', headers: { authorization: 'Bearer zk_bogus' } }))
          .statusCode,
      ).toBe(401);
    });

    it('refuses anonymous calls', async () => {
      const res = await inject({ url: '/api/v1/conversations' });
      expect(res.statusCode).toBe(401);
      expect(res.json().type).toBe('urn:zhike:problem:unauthenticated');
    });
  });

  describe('api channel, bot and inbox', () => {
    const post = (body: Record<string, unknown>) =>
      inject({ method: 'POST', url: '/api/v1/inbound', headers: bearer(), payload: body });
    const messagesOf = async (id: string) =>
      (await inject({ url: `/api/v1/conversations/${id}/messages`, headers: bearer() })).json().messages as {
        author: string;
        text: string;
      }[];

    it('stores an inbound message, deduplicates a retry, and the bot answers from the template', async () => {
      const body = {
        customer: { externalId: 'shop-1', name: '李雷' },
        text: '你们发什么快递？多久能到？',
        messageId: 'a-1',
      };
      const first = await post(body);
      expect(first.statusCode).toBe(200);
      expect(first.json().duplicate).toBe(false);
      const again = await post(body);
      expect(again.json()).toEqual({ ...first.json(), duplicate: true });
      // The first turn compiles the demo bot (and seeds its knowledge base and routing rules).
      const messages = await eventually(async () => {
        const m = await messagesOf(first.json().conversationId);
        return m.length >= 2 ? m : undefined;
      }, 20_000);
      expect(messages.map((m) => m.author)).toEqual(['customer', 'bot']);
      // The retail template's courier answer with the demo shop's default couriers filled in.
      expect(messages[1]?.text).toContain('中通或韵达');
    });

    it('pages messages newest first with hasMore, each page oldest first', async () => {
      // Once the hand-off notice is stored the bot is off, so later messages get no bot reply to race with.
      const res = await post({ customer: { externalId: 'shop-pages' }, text: '转人工', messageId: 'p-0' });
      const id = res.json().conversationId as string;
      // The hand-off notice, then the customer's place in the queue.
      await eventually(
        async () => (await messagesOf(id)).filter((m) => m.author === 'system').length === 2,
        20_000,
      );
      for (let i = 1; i < 5; i++)
        await post({ customer: { externalId: 'shop-pages' }, text: `第 ${i} 条`, messageId: `p-${i}` });
      const all = await messagesOf(id);
      expect(all).toHaveLength(7);
      const page = async (query: string) =>
        (
          await inject({ url: `/api/v1/conversations/${id}/messages?${query}`, headers: bearer() })
        ).json() as {
          messages: { id: string; text: string }[];
          hasMore: boolean;
        };
      const newest = await page('limit=2');
      expect(newest.messages.map((m) => m.text)).toEqual(all.slice(-2).map((m) => m.text));
      expect(newest.hasMore).toBe(true);
      const rest = await page(`limit=${all.length}&before=${newest.messages[0]!.id}`);
      expect(rest.messages.map((m) => m.text)).toEqual(all.slice(0, -2).map((m) => m.text));
      expect(rest.hasMore).toBe(false);
      const conversation = (await inject({ url: `/api/v1/conversations/${id}`, headers: bearer() })).json();
      expect(conversation.customer).toMatchObject({ name: null, externalId: 'shop-pages' });
    });

    it('routes an out-of-scope first message to people at once, naming the rule', async () => {
      const res = await post({
        customer: { externalId: 'shop-oos' },
        text: '给我讲个笑话吧',
        messageId: 'o-1',
      });
      const id = res.json().conversationId;
      const messages = await eventually(async () => {
        const m = await messagesOf(id);
        return m.length >= 3 ? m : undefined;
      }, 20_000);
      // The hand-off notice, then the customer's place in line.
      expect(messages.map((m) => m.author)).toEqual(['customer', 'system', 'system']);
      const conv = (await inject({ url: `/api/v1/conversations/${id}`, headers: bearer() })).json();
      expect(conv.handedOff).toBe(true);
      expect(conv.routing).toMatchObject({
        ruleName: '问题超出机器人范围',
        target: 'queue',
        queueId: (await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).queues.findByKey('general'))
          ?.id,
      });
    });

    it('asks to clarify nonsense once later in a conversation, then hands off to humans', async () => {
      const res = await post({
        customer: { externalId: 'shop-2' },
        text: '你们发什么快递？',
        messageId: 'b-0',
      });
      const id = res.json().conversationId;
      await eventually(async () => ((await messagesOf(id)).length >= 2 ? true : undefined), 20_000);
      await post({ customer: { externalId: 'shop-2' }, text: 'qwxz vbnm 98765', messageId: 'b-1' });
      await eventually(async () => ((await messagesOf(id)).length >= 4 ? true : undefined), 20_000);
      await post({ customer: { externalId: 'shop-2' }, text: '咕噜咕噜 zzz', messageId: 'b-1b' });
      const messages = await eventually(async () => {
        const m = await messagesOf(id);
        return m.length >= 7 ? m : undefined;
      });
      // The hand-off notice, then the customer's place in line (nobody is online: no estimate).
      expect(messages.map((m) => m.author)).toEqual([
        'customer',
        'bot',
        'customer',
        'bot',
        'customer',
        'system',
        'system',
      ]);
      expect(messages[5]?.text).toContain('人工');
      expect(messages[6]?.text).toMatch(/第 \d+ 位/);
      const conv = (await inject({ url: `/api/v1/conversations/${id}`, headers: bearer() })).json();
      expect(conv.handedOff).toBe(true);
      // The bot's hand-off is routed too: its rule picked the queue.
      const general = (
        await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).queues.findByKey('general')
      )?.id;
      expect(conv.routing).toMatchObject({ ruleName: '转人工', queueId: general });
      // The bot stays silent afterwards, even for questions it could answer.
      await post({ customer: { externalId: 'shop-2' }, text: '你们发什么快递？', messageId: 'b-2' });
      await t.app.zhike.worker.runDue();
      await new Promise((r) => setTimeout(r, 150));
      expect((await messagesOf(id)).map((m) => m.author)).toEqual([
        'customer',
        'bot',
        'customer',
        'bot',
        'customer',
        'system',
        'system',
        'customer',
      ]);
    });

    it('hands off at once when the customer asks for a person', async () => {
      const res = await post({ customer: { externalId: 'shop-3' }, text: '转人工', messageId: 'c-1' });
      const messages = await eventually(async () => {
        const m = await messagesOf(res.json().conversationId);
        return m.length >= 2 ? m : undefined;
      });
      expect(messages[1]?.author).toBe('system');
    });

    it('lets an agent reply, assign and resolve; filters and pages the inbox', async () => {
      const res = await post({
        customer: { externalId: 'shop-4', name: '韩梅梅' },
        text: '转人工',
        messageId: 'd-1',
      });
      const id = res.json().conversationId as string;
      const unassigned = (
        await inject({ url: '/api/v1/conversations?assignee=unassigned', headers: { cookie: owner.cookie } })
      ).json();
      expect(unassigned.conversations.map((c: { id: string }) => c.id)).toContain(id);

      const reply = await inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/messages`,
        headers: owner.headers,
        payload: { text: '您好，我来帮您看看', clientMessageId: 'r-1' },
      });
      expect(reply.statusCode).toBe(201);
      expect(reply.json()).toMatchObject({
        author: 'agent',
        authorId: owner.info.user.id,
        authorName: '店主',
        text: '您好，我来帮您看看',
      });
      const replay = await inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/messages`,
        headers: owner.headers,
        payload: { text: '您好，我来帮您看看', clientMessageId: 'r-1' },
      });
      expect(replay.statusCode).toBe(200);
      expect(replay.json().id).toBe(reply.json().id);

      const mine = (
        await inject({ url: '/api/v1/conversations?assignee=me', headers: { cookie: owner.cookie } })
      ).json();
      expect(mine.conversations[0]).toMatchObject({
        id,
        assignee: { name: '店主' },
        customer: { name: '韩**', externalId: 'shop-4' }, // masked: see piiAudit.test.ts
      });

      const unassign = await inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/assign`,
        headers: owner.headers,
        payload: { assigneeId: null },
      });
      expect(unassign.json().assignee).toBeNull();
      const resolved = await inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/status`,
        headers: owner.headers,
        payload: { status: 'resolved' },
      });
      expect(resolved.json().status).toBe('resolved');
      const open = (
        await inject({ url: '/api/v1/conversations?status=resolved', headers: { cookie: owner.cookie } })
      ).json();
      expect(open.conversations.map((c: { id: string }) => c.id)).toContain(id);

      const customerId = resolved.json().customer.id;
      const customer = (
        await inject({ url: `/api/v1/customers/${customerId}`, headers: { cookie: owner.cookie } })
      ).json();
      expect(customer).toMatchObject({
        name: '韩**',
        identities: [{ channel: 'external', value: 'shop-4' }],
      });

      const page1 = (
        await inject({ url: '/api/v1/conversations?limit=2', headers: { cookie: owner.cookie } })
      ).json();
      expect(page1.conversations).toHaveLength(2);
      const page2 = (
        await inject({
          url: `/api/v1/conversations?limit=2&cursor=${page1.nextCursor}`,
          headers: { cookie: owner.cookie },
        })
      ).json();
      const ids1 = page1.conversations.map((c: { id: string }) => c.id);
      for (const c of page2.conversations) expect(ids1).not.toContain(c.id);
    });

    it('lists users and inboxes; only admins see webhook secrets', async () => {
      const users = (await inject({ url: '/api/v1/users', headers: { cookie: owner.cookie } })).json();
      expect(users.users[0]).toMatchObject({ email: TEST_ADMIN.email, role: 'owner' });
      expect(JSON.stringify(users)).not.toContain('argon2');
      const inboxes = (await inject({ url: '/api/v1/inboxes', headers: { cookie: owner.cookie } })).json()
        .inboxes;
      expect(inboxes.map((i: { channel: string }) => i.channel).sort()).toEqual(['api', 'widget']);
      expect(inboxes.find((i: { channel: string }) => i.channel === 'api').webhookSecret).toMatch(/^whsec_/);
      const patched = await inject({
        method: 'PATCH',
        url: `/api/v1/inboxes/${inboxes[0].id}`,
        headers: owner.headers,
        payload: { greeting: '欢迎光临' },
      });
      expect(patched.json().greeting).toBe('欢迎光临');
    });
  });

  describe('roles', () => {
    it('lets an agent work conversations but not manage keys, inboxes or others’ assignments', async () => {
      const workspaceId = await t.demoWorkspaceId();
      const agentId = t.app.zhike.newId();
      await t.app.zhike.db.directory.addUser({
        id: agentId,
        workspaceId,
        email: 'agent@test.zhike.local',
        name: '小王',
        role: 'agent',
        createdAt: new Date().toISOString(),
        passwordHash: await hashPassword('agent-password'),
      });
      const agent = await t.login('agent@test.zhike.local', 'agent-password');
      expect(agent.info.user.role).toBe('agent');
      expect(agent.info.permissions).toContain('conversations.reply');
      expect(agent.info.permissions).not.toContain('api_keys.manage');
      expect(agent.info.permissions).not.toContain('conversations.assign_others');
      expect((await inject({ url: '/api/v1/api-keys', headers: { cookie: agent.cookie } })).statusCode).toBe(
        403,
      );
      const inboxes = (await inject({ url: '/api/v1/inboxes', headers: { cookie: agent.cookie } })).json()
        .inboxes;
      expect(inboxes.every((i: { webhookSecret: string | null }) => i.webhookSecret === null)).toBe(true);
      const patch = await inject({
        method: 'PATCH',
        url: `/api/v1/inboxes/${inboxes[0].id}`,
        headers: agent.headers,
        payload: { name: 'x' },
      });
      expect(patch.statusCode).toBe(403);

      const res = await inject({
        method: 'POST',
        url: '/api/v1/inbound',
        headers: bearer(),
        payload: { customer: { externalId: 'role-1' }, text: 'hi', messageId: 'role-1' },
      });
      const id = res.json().conversationId;
      const toOwner = await inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/assign`,
        headers: agent.headers,
        payload: { assigneeId: owner.info.user.id },
      });
      expect(toOwner.statusCode).toBe(403);
      const toSelf = await inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/assign`,
        headers: agent.headers,
        payload: { assigneeId: agentId },
      });
      expect(toSelf.json().assignee).toEqual({ id: agentId, name: '小王' });
    });
  });

  describe('malformed input is a 4xx, never a 5xx', () => {
    const cases: [
      string,
      () => Promise<{ statusCode: number; headers: Record<string, unknown>; json(): { type: string } }>,
      number,
      string,
    ][] = [
      [
        'malformed JSON',
        () =>
          inject({
            method: 'POST',
            url: '/api/v1/inbound',
            headers: { ...bearer(), 'content-type': 'application/json' },
            payload: '{"text":',
          }),
        400,
        'malformed_body',
      ],
      [
        'empty JSON body',
        () =>
          inject({
            method: 'POST',
            url: '/api/v1/inbound',
            headers: { ...bearer(), 'content-type': 'application/json' },
            payload: '',
          }),
        400,
        'malformed_body',
      ],
      [
        'wrong types',
        () =>
          inject({
            method: 'POST',
            url: '/api/v1/inbound',
            headers: bearer(),
            payload: { customer: { externalId: 5 }, text: [], messageId: null },
          }),
        400,
        'validation_failed',
      ],
      [
        'unknown fields',
        () =>
          inject({
            method: 'POST',
            url: '/api/v1/inbound',
            headers: bearer(),
            payload: { customer: { externalId: 'x' }, text: 'hi', messageId: 'z', admin: true },
          }),
        400,
        'validation_failed',
      ],
      [
        'text too long',
        () =>
          inject({
            method: 'POST',
            url: '/api/v1/inbound',
            headers: bearer(),
            payload: { customer: { externalId: 'x' }, text: 'a'.repeat(5001), messageId: 'z' },
          }),
        400,
        'validation_failed',
      ],
      [
        'oversize body',
        () =>
          inject({
            method: 'POST',
            url: '/api/v1/inbound',
            headers: bearer(),
            payload: { customer: { externalId: 'x' }, text: 'a'.repeat(2 * 1024 * 1024), messageId: 'z' },
          }),
        413,
        'payload_too_large',
      ],
      [
        'wrong content type',
        () =>
          inject({
            method: 'POST',
            url: '/api/v1/inbound',
            headers: { ...bearer(), 'content-type': 'text/plain' },
            payload: 'hello',
          }),
        415,
        'unsupported_media_type',
      ],
      [
        'form content type',
        () =>
          inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'email=a&password=b',
          }),
        415,
        'unsupported_media_type',
      ],
      [
        'malformed id',
        () => inject({ url: '/api/v1/conversations/not-an-id', headers: bearer() }),
        400,
        'validation_failed',
      ],
      [
        'unknown conversation',
        () =>
          inject({ url: '/api/v1/conversations/01890a5d-ac96-774b-bcce-b302099a8057', headers: bearer() }),
        404,
        'not_found',
      ],
      [
        'unknown conversation messages',
        () =>
          inject({
            url: '/api/v1/conversations/01890a5d-ac96-774b-bcce-b302099a8057/messages',
            headers: bearer(),
          }),
        404,
        'not_found',
      ],
      [
        'unknown customer',
        () => inject({ url: '/api/v1/customers/01890a5d-ac96-774b-bcce-b302099a8057', headers: bearer() }),
        404,
        'not_found',
      ],
      [
        'bad limit',
        () => inject({ url: '/api/v1/conversations?limit=9999', headers: bearer() }),
        400,
        'validation_failed',
      ],
      [
        'bad status filter',
        () => inject({ url: '/api/v1/conversations?status=closed', headers: bearer() }),
        400,
        'validation_failed',
      ],
      [
        'bad cursor',
        () => inject({ url: '/api/v1/conversations?cursor=%%%', headers: bearer() }),
        400,
        'validation_failed',
      ],
      ['unknown route', () => inject({ url: '/api/v2/nothing' }), 404, 'not_found'],
      ['unknown widget inbox', () => inject({ url: '/api/v1/widget/config?inbox=nope' }), 404, 'not_found'],
      [
        'widget session without body',
        () => inject({ method: 'POST', url: '/api/v1/widget/sessions' }),
        400,
        'validation_failed',
      ],
      [
        'login with array body',
        () => inject({ method: 'POST', url: '/api/v1/auth/login', payload: [1, 2] }),
        400,
        'validation_failed',
      ],
    ];
    it.each(cases)('%s', async (_name, run, status, type) => {
      const res = await run();
      expect(res.statusCode).toBe(status);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      expect(res.json().type).toBe(`urn:zhike:problem:${type}`);
    });

    it('assigning to an unknown user is a 400', async () => {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/inbound',
        headers: bearer(),
        payload: { customer: { externalId: 'q' }, text: 'hi', messageId: 'q1' },
      });
      const id = res.json().conversationId;
      const bad = await inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/assign`,
        headers: owner.headers,
        payload: { assigneeId: '01890a5d-ac96-774b-bcce-b302099a8057' },
      });
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('site', () => {
    it('serves the widget, the demo page and the console, or says to build them', async () => {
      for (const url of ['/widget.js', '/demo', '/']) {
        const res = await inject({ url });
        expect([200, 503]).toContain(res.statusCode);
        if (res.statusCode === 503) expect(res.json().detail).toContain('npm run build');
      }
      const demo = await inject({ url: '/demo' });
      if (demo.statusCode === 200) {
        expect(demo.body).not.toContain('{{WIDGET_TOKEN}}');
        expect(demo.body).toMatch(/wt_[A-Za-z0-9_-]+/);
      }
    });
  });
});
