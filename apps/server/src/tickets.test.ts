// The ticket API on both backends: an agent opens a ticket from a conversation (customer and transcript
// come along), the lifecycle refuses moves it does not allow, custom fields are checked against their
// definitions, @mentions are recorded, assignment rules pick the least-loaded agent with the skills, and
// an API key opens tickets idempotently.
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

// Generous: the first tests share the machine with the bot compiling its first turn.
describe.each(testBackends)('tickets on %s', { timeout: 120_000 }, (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let agent: TestSession;
  let agentId = '';
  let key = '';
  let workspaceId = '';
  let conversationId = '';

  const inject = (opts: {
    method?: 'GET' | 'POST' | 'PATCH';
    url: string;
    payload?: unknown;
    as?: TestSession;
  }) =>
    t.app.inject({
      method: opts.method ?? 'GET',
      url: opts.url,
      headers: (opts.as ?? owner).headers,
      ...(opts.payload === undefined ? {} : { payload: opts.payload as object }),
    });

  beforeAll(async () => {
    t = await createTestApp(backend);
    owner = await t.login();
    key = await t.apiKey();
    workspaceId = await t.demoWorkspaceId();
    ({ id: agentId, session: agent } = await t.signInNewUser({ email: 'lina@shop.test', name: '李娜' }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: {
        customer: { externalId: 'ticket-customer' },
        text: '洗衣机不脱水了，显示E3',
        messageId: 'tk-1',
      },
    });
    conversationId = (res.json() as { conversationId: string }).conversationId;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('opens a ticket from a conversation with its customer and transcript, and moves it through its lifecycle', async () => {
    const created = await inject({
      method: 'POST',
      url: '/api/v1/tickets',
      as: agent,
      payload: {
        subject: '洗衣机E3故障',
        type: 'fault',
        category: '设备故障',
        priority: 'high',
        conversationId,
      },
    });
    expect(created.statusCode).toBe(201);
    const ticket = created.json().ticket;
    const conversation = (await inject({ url: `/api/v1/conversations/${conversationId}` })).json();
    expect(ticket).toMatchObject({
      subject: '洗衣机E3故障',
      status: 'new',
      priority: 'high',
      source: 'agent',
      category: '设备故障',
      conversationId,
      customerId: conversation.customer.id,
      createdBy: agentId,
    });
    expect(ticket.number).toMatch(/^T\d{8}\d{5}$/);

    const detail = (await inject({ url: `/api/v1/tickets/${ticket.id}`, as: agent })).json();
    expect(detail.entries).toHaveLength(1);
    expect(detail.entries[0]).toMatchObject({ kind: 'created', authorType: 'user', authorId: agentId });
    expect(detail.entries[0].data.transcriptUpTo).toEqual(expect.any(String));
    expect(detail.watchers).toEqual([agentId]);

    // pending needs a reason; closed → open is not a move the lifecycle has.
    const noReason = await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/status`,
      payload: { status: 'pending' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.headers['content-type']).toContain('application/problem+json');
    const pending = await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/status`,
      payload: { status: 'pending', pendingReason: 'third_party' },
    });
    expect(pending.json().ticket).toMatchObject({ status: 'pending', pendingReason: 'third_party' });
    const solved = await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/status`,
      payload: { status: 'solved', note: '更换排水泵后恢复' },
    });
    expect(solved.json().ticket).toMatchObject({ status: 'solved', pendingReason: null });
    expect(solved.json().ticket.solvedAt).toEqual(expect.any(String));
    await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/status`,
      payload: { status: 'closed' },
    });
    const reopen = await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/status`,
      payload: { status: 'open' },
    });
    expect(reopen.statusCode).toBe(409);

    const timeline = (await inject({ url: `/api/v1/tickets/${ticket.id}` })).json().entries;
    expect(timeline.map((e: { kind: string; data: { to?: string } }) => [e.kind, e.data.to ?? null])).toEqual(
      [
        ['created', null],
        ['status', 'pending'],
        ['status', 'solved'],
        ['status', 'closed'],
      ],
    );
    expect(timeline[2].body).toBe('更换排水泵后恢复');
  });

  it('suggests the similar solved ticket with how it was solved, and knowledge from the bot retrieval', async () => {
    const ticket = (
      await inject({
        method: 'POST',
        url: '/api/v1/tickets',
        as: agent,
        payload: { subject: '洗衣机显示E3，不排水', category: '设备故障', type: 'fault' },
      })
    ).json().ticket;
    const res = await inject({ url: `/api/v1/tickets/${ticket.id}/solutions`, as: agent });
    expect(res.statusCode).toBe(200);
    const { tickets, articles } = res.json();
    expect(Array.isArray(articles)).toBe(true);
    expect(tickets[0]).toMatchObject({ subject: '洗衣机E3故障', solution: '更换排水泵后恢复' });
    expect(tickets.map((x: { id: string }) => x.id)).not.toContain(ticket.id);
    // Knowledge comes from the bot's own retrieval: a question its FAQ answers finds that entry.
    const question = (
      await inject({
        method: 'POST',
        url: '/api/v1/tickets',
        payload: { subject: '你们支持七天无理由退货吗' },
      })
    ).json().ticket;
    const known = (await inject({ url: `/api/v1/tickets/${question.id}/solutions` })).json();
    expect(known.articles.length).toBeGreaterThan(0);
  });

  it('refuses malformed input with problem+json, never a 500', async () => {
    for (const [url, payload] of [
      ['/api/v1/tickets', { subject: '' }],
      ['/api/v1/tickets', { subject: 'x', priority: 'critical' }],
      ['/api/v1/tickets', { subject: 'x', conversationId: 'not-an-id' }],
      ['/api/v1/tickets', { subject: 'x', customFields: { 'Bad Key': 'x' } }],
    ] as const) {
      const res = await inject({ method: 'POST', url, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const missing = await inject({ url: `/api/v1/tickets/${t.app.zhike.newId()}` });
    expect(missing.statusCode).toBe(404);
  });

  it('checks custom fields against the workspace definitions', async () => {
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const at = new Date().toISOString();
    for (const [position, d] of (
      [
        { key: 'model', kind: 'text', required: true, options: [] },
        { key: 'units', kind: 'number', required: false, options: [] },
        { key: 'channel', kind: 'select', required: false, options: ['门店', '线上'] },
        { key: 'bought_on', kind: 'date', required: false, options: [] },
      ] as const
    ).entries())
      await store.tickets.fieldDefinitions.save({
        id: t.app.zhike.newId(),
        label: d.key,
        labelEn: null,
        archived: false,
        createdAt: at,
        position,
        ...d,
        options: [...d.options],
      });
    const open = (customFields: Record<string, string | number>) =>
      inject({ method: 'POST', url: '/api/v1/tickets', payload: { subject: '字段', customFields } });
    expect((await open({ units: 2 })).statusCode).toBe(400); // model is required
    expect((await open({ model: 'XQG80', units: 'two' })).statusCode).toBe(400);
    expect((await open({ model: 'XQG80', channel: '电话' })).statusCode).toBe(400);
    expect((await open({ model: 'XQG80', bought_on: '2026-02-30' })).statusCode).toBe(400);
    expect((await open({ model: 'XQG80', nope: 'x' })).statusCode).toBe(400);
    const ok = await open({ model: 'XQG80', units: '2', channel: '线上', bought_on: '2026-02-28' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().ticket.customFields).toEqual({
      model: 'XQG80',
      units: 2,
      channel: '线上',
      bought_on: '2026-02-28',
    });
    const patched = await inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ok.json().ticket.id}`,
      payload: { customFields: { channel: '' }, priority: 'urgent', orderNumbers: ['zk20261125001'] },
    });
    expect(patched.json().ticket).toMatchObject({
      customFields: { model: 'XQG80', units: 2, bought_on: '2026-02-28' },
      priority: 'urgent',
      orderNumbers: ['ZK20261125001'],
    });
    // Later tests open tickets without these fields.
    for (const d of await store.tickets.fieldDefinitions.list())
      await store.tickets.fieldDefinitions.save({ ...d, archived: true });
  });

  it('records @mentions in internal notes and makes the mentioned a watcher', async () => {
    const ticket = (
      await inject({
        method: 'POST',
        url: '/api/v1/tickets',
        payload: { subject: '需要协助', conversationId },
      })
    ).json().ticket;
    const note = await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/comments`,
      payload: { body: '@李娜 请联系厂家售后确认配件', visibility: 'internal' },
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().entry).toMatchObject({ kind: 'note', mentions: [agentId] });
    const detail = (await inject({ url: `/api/v1/tickets/${ticket.id}`, as: agent })).json();
    expect(detail.watchers).toContain(agentId);
    // A public reply goes to the customer's conversation.
    const reply = await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/comments`,
      as: agent,
      payload: { body: '您好，师傅明天上午上门检修。', visibility: 'public' },
    });
    const messageId = reply.json().entry.messageId;
    const messages = (
      await inject({ url: `/api/v1/conversations/${conversationId}/messages?limit=50` })
    ).json().messages as { id: string; text: string; author: string }[];
    expect(messages.find((m) => m.id === messageId)).toMatchObject({
      author: 'agent',
      text: '您好，师傅明天上午上门检修。',
    });
  });

  it('assigns by rule to the least-loaded agent with the skills, and filters the list', async () => {
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const at = new Date().toISOString();
    const busyId = t.app.zhike.newId();
    await t.app.zhike.db.directory.addUser({
      id: busyId,
      workspaceId,
      email: 'busy@shop.test',
      name: 'busy',
      role: 'agent',
      createdAt: at,
      passwordHash: await hashPassword('agent-password'),
    });
    await store.agents.save(agentId, { skills: ['appliance'] }, at);
    await store.agents.save(busyId, { skills: ['appliance'] }, at);
    await store.tickets.assignmentRules.save({
      id: t.app.zhike.newId(),
      name: '设备故障 → 家电组',
      position: 0,
      enabled: true,
      category: '设备故障',
      type: null,
      priority: null,
      queueId: null,
      userId: null,
      skills: ['appliance'],
      createdAt: at,
    });
    // Give the busy agent two active tickets; lina holds fewer.
    for (const subject of ['a', 'b'])
      await inject({ method: 'POST', url: '/api/v1/tickets', payload: { subject, assigneeId: busyId } });
    const before = await store.tickets.activeLoad([agentId, busyId]);
    expect(before[busyId]).toBeGreaterThan(before[agentId] ?? 0);
    const routed = (
      await inject({
        method: 'POST',
        url: '/api/v1/tickets',
        payload: { subject: '冰箱不制冷', category: '设备故障' },
      })
    ).json().ticket;
    expect(routed).toMatchObject({ assigneeId: agentId, status: 'open' });
    const other = (
      await inject({ method: 'POST', url: '/api/v1/tickets', payload: { subject: '发票', category: '财务' } })
    ).json().ticket;
    expect(other).toMatchObject({ assigneeId: null, status: 'new' });

    const mine = (await inject({ url: '/api/v1/tickets?assignee=me&limit=200', as: agent })).json().tickets;
    expect(mine.map((x: { id: string }) => x.id)).toContain(routed.id);
    expect(mine.every((x: { assigneeId: string }) => x.assigneeId === agentId)).toBe(true);
    const unassignedNew = (await inject({ url: '/api/v1/tickets?assignee=none&status=new&limit=200' })).json()
      .tickets;
    expect(unassignedNew.map((x: { id: string }) => x.id)).toContain(other.id);
    const faults = (
      await inject({ url: `/api/v1/tickets?category=${encodeURIComponent('设备故障')}` })
    ).json().tickets;
    expect(faults.every((x: { category: string }) => x.category === '设备故障')).toBe(true);

    // Keyset pages cover everything once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/tickets?limit=2${cursor ? `&before=${cursor}` : ''}`;
      const page = (await inject({ url })).json() as { tickets: { id: string }[]; nextCursor: string | null };
      seen.push(...page.tickets.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await inject({ url: '/api/v1/tickets?limit=200' }))
      .json()
      .tickets.map((x: { id: string }) => x.id);
    expect(seen).toEqual(all);

    // Taken over by hand.
    const reassigned = await inject({
      method: 'POST',
      url: `/api/v1/tickets/${other.id}/assignment`,
      payload: { assigneeId: busyId },
    });
    expect(reassigned.json().ticket).toMatchObject({ assigneeId: busyId, status: 'open' });
  });

  it('tells the customer of each status once, and reopens a solved ticket when they write again', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'ticket-reopen' }, text: '热水器不点火', messageId: 'tk-reopen-1' },
    });
    const convId = (res.json() as { conversationId: string }).conversationId;
    const ticket = (
      await inject({
        method: 'POST',
        url: '/api/v1/tickets',
        payload: { subject: '热水器不点火', conversationId: convId, assigneeId: agentId },
      })
    ).json().ticket;
    expect(ticket.status).toBe('open');
    const botTexts = async () =>
      (
        (await inject({ url: `/api/v1/conversations/${convId}/messages?limit=100` })).json().messages as {
          author: string;
          text: string;
        }[]
      )
        .filter((m) => m.text.includes(ticket.number))
        .map((m) => m.text);
    await eventually(async () => ((await botTexts()).length === 1 ? true : undefined), 20_000);
    expect(await botTexts()).toEqual([`您的工单 ${ticket.number} 已受理，正在处理中。`]);
    // A notice, not the bot answering (the AI first-response KPI reads the bot's messages).
    const notices = (await inject({ url: `/api/v1/conversations/${convId}/messages?limit=100` })).json()
      .messages as { author: string; text: string }[];
    expect(notices.filter((m) => m.text.includes(ticket.number)).map((m) => m.author)).toEqual(['system']);
    await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/status`,
      payload: { status: 'solved' },
    });
    await eventually(async () => ((await botTexts()).length === 2 ? true : undefined), 20_000);
    expect((await botTexts())[1]).toContain('已解决');

    // The customer answers within the reopen window: back to open, and told so once more.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: {
        customer: { externalId: 'ticket-reopen' },
        text: '还是不行，又不点火了',
        messageId: 'tk-reopen-2',
      },
    });
    const reopened = await eventually(async () => {
      const now = (await inject({ url: `/api/v1/tickets/${ticket.id}` })).json();
      return now.ticket.status === 'open' ? now : undefined;
    }, 20_000);
    expect(reopened.entries.at(-1)).toMatchObject({
      kind: 'status',
      authorType: 'customer',
      data: { from: 'solved', to: 'open' },
    });
    expect(reopened.ticket.solvedAt).toBeNull();
    await eventually(async () => ((await botTexts()).length === 3 ? true : undefined), 20_000);

    // Closed stays closed: a later message opens nothing.
    await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/status`,
      payload: { status: 'closed' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'ticket-reopen' }, text: '谢谢', messageId: 'tk-reopen-3' },
    });
    expect((await inject({ url: `/api/v1/tickets/${ticket.id}` })).json().ticket.status).toBe('closed');
  });

  it('opens tickets by API key, once per idempotency key', async () => {
    const open = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { authorization: `Bearer ${key}` },
        payload: { subject: '官网表单：退货', type: 'return', idempotencyKey: 'form-8841' },
      });
    const first = await open();
    const second = await open();
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().ticket.id).toBe(first.json().ticket.id);
    expect(first.json().ticket).toMatchObject({ source: 'api', createdBy: null });
  });
});
