// The KPI dashboard's numbers through the real app with a controlled clock, on both backends: a customer
// handed to an agent (picked up after 20 s, first reply at 60 s, resolved 630 s after pick-up, rated 4),
// another resolved by the bot alone who comes back on the same intent a minute later (so that
// resolution was not first-contact). Every KPI is checked against these hand-computed values, filters
// narrow them, and an event heard twice (two processes on Redis) is counted once.
import type { KpiReport } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

const START = Date.parse('2026-11-20T02:00:00.000Z'); // 10:00 in Shanghai, the default zone

describe.each(testBackends)('KPIs over HTTP on %s', (backend: Backend) => {
  let t: TestApp;
  let key: string;
  let owner: TestSession;
  let workspaceId: string;
  let rated = '';
  let now = START;
  const clock = { now: () => new Date(now) };
  const advance = (seconds: number) => {
    now += seconds * 1000;
  };
  const drain = async () => {
    for (let round = 0; round < 50; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
    throw new Error('jobs kept coming');
  };
  const inbound = async (customer: string, text: string, messageId: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: customer }, text, messageId },
    });
    expect(res.statusCode, res.body).toBe(200);
    await drain();
    return res.json().conversationId as string;
  };
  const resolve = async (conversationId: string, session: TestSession) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/status`,
      headers: session.headers,
      payload: { status: 'resolved' },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const kpis = async (query = 'from=2026-11-20&to=2026-11-20', session = owner) => {
    const res = await t.app.inject({ url: `/api/v1/kpis?${query}`, headers: { cookie: session.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as KpiReport;
    const of = (k: string) => body.kpis.find((x) => x.key === k);
    return { body, of };
  };

  beforeAll(async () => {
    t = await createTestApp(backend, { clock, startWorker: false });
    key = await t.apiKey();
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    await t.app.zhike.bot.warm(workspaceId, 'zh-CN');
    const agentId = t.app.zhike.newId();
    await t.app.zhike.db.directory.addUser({
      id: agentId,
      workspaceId,
      email: 'agent@kpis.test',
      name: '坐席A',
      role: 'agent',
      createdAt: clock.now().toISOString(),
      passwordHash: await hashPassword('agent password 1'),
    });
    const agent = await t.login('agent@kpis.test', 'agent password 1');
    const online = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/agents/me/status',
      headers: agent.headers,
      payload: { status: 'online' },
    });
    expect(online.statusCode).toBe(200);

    // 1: handed to a person.
    rated = await inbound('kpi-1', '转人工', 'k-1');
    advance(20);
    const offers = (await t.app.inject({ url: '/api/v1/offers', headers: { cookie: agent.cookie } })).json()
      .offers as { id: string }[];
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/offers/${offers[0]?.id}/accept`,
      headers: agent.headers,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    advance(40);
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${rated}/messages`,
      headers: agent.headers,
      payload: { text: '您好，我来帮您处理' },
    });
    expect(reply.statusCode).toBeLessThan(300);
    advance(590);
    await resolve(rated, agent);
    await drain();
    await t.app.zhike.commands.rateConversation(workspaceId, { conversationId: rated, score: 4 });

    // 2: the bot alone, then the same customer on the same question a minute later.
    const first = await inbound('kpi-2', '可以开发票吗？', 'k-2');
    await resolve(first, owner);
    advance(60);
    const again = await inbound('kpi-2', '能开发票吗', 'k-3');
    expect(again).not.toBe(first);
  }, 60_000);
  afterAll(async () => t?.close());

  it('reports every KPI as hand-computed, against its target', async () => {
    const { body, of } = await kpis();
    expect(body.range).toEqual({ from: '2026-11-20', to: '2026-11-20', timeZone: 'Asia/Shanghai' });
    expect(body.conversations).toBe(3);
    expect(of('humanResponseSeconds')).toMatchObject({ value: 60, basis: 1, status: 'missed' }); // ≤ 30 s
    expect(of('pickupWaitSeconds')).toMatchObject({ value: 20, basis: 1, status: 'met' });
    expect(of('handleMinutes')).toMatchObject({ value: 10.5, basis: 1, status: 'met' });
    // The bot answered at once in each conversation it spoke in (the clock stands still while it works).
    expect(of('aiResponseSeconds')).toMatchObject({ value: 0, status: 'met' });
    expect(of('aiResponseSeconds')?.basis).toBeGreaterThanOrEqual(2);
    // Two resolved, one by the bot alone; that one's customer came back on the same intent.
    expect(of('containment')).toMatchObject({ value: 0.5, basis: 2, status: 'missed' });
    expect(of('fcr')).toMatchObject({ value: 0.5, basis: 2, status: 'missed' });
    expect(of('csat')).toMatchObject({ value: 4, basis: 1, status: 'near' }); // target 4.2, within 10 %
    expect(of('botFallbackRate')).toMatchObject({ value: 0, status: 'met' });
    expect(of('complaintClosure')).toMatchObject({ value: null, basis: 0, status: 'no_data' });
    expect(of('slaAttainment')).toMatchObject({ value: null, status: 'no_data' });
    expect(body.daily).toEqual([
      expect.objectContaining({
        day: '2026-11-20',
        conversations: 3,
        values: expect.objectContaining({ fcr: 0.5, pickupWaitSeconds: 20 }),
      }),
    ]);
  });

  it('exports the same numbers as CSV, a row per day and a total', async () => {
    const res = await t.app.inject({
      url: '/api/v1/kpis.csv?from=2026-11-19&to=2026-11-20',
      headers: { cookie: owner.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('kpis-2026-11-19-2026-11-20.csv');
    const [header, nothing, day, total] = res.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    const columns = header?.split(',') ?? [];
    expect(columns.slice(0, 3)).toEqual(['day', 'conversations', 'aiResponseSeconds']);
    const cell = (line: string | undefined, name: string) => line?.split(',')[columns.indexOf(name)];
    expect(nothing?.startsWith('2026-11-19,0,')).toBe(true);
    expect(cell(day, 'conversations')).toBe('3');
    expect(cell(day, 'fcr')).toBe('0.5');
    expect(cell(total, 'day')).toBe('total');
    expect(cell(total, 'pickupWaitSeconds')).toBe('20');
    expect(cell(total, 'complaintClosure')).toBe('');
    const xlsx = await t.app.inject({
      url: '/api/v1/kpis.xlsx?from=2026-11-19&to=2026-11-20',
      headers: { cookie: owner.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 4).toString('hex')).toBe('504b0304'); // a ZIP, as .xlsx is
  });

  it('drills down to the conversations behind a number, worst first', async () => {
    const behind = async (kpi: string, extra = '') => {
      const res = await t.app.inject({
        url: `/api/v1/kpis/conversations?kpi=${kpi}&from=2026-11-20&to=2026-11-20${extra}`,
        headers: { cookie: owner.cookie },
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { conversations: { conversationId: string; value: number }[] }).conversations;
    };
    expect(await behind('humanResponseSeconds')).toEqual([
      expect.objectContaining({ conversationId: rated, value: 60 }),
    ]);
    expect(await behind('pickupWaitSeconds')).toEqual([
      expect.objectContaining({ conversationId: rated, value: 20 }),
    ]);
    expect(await behind('handleMinutes')).toEqual([
      expect.objectContaining({ conversationId: rated, value: 10.5 }),
    ]);
    // Not contained first: the agent's conversation, then the bot's.
    expect((await behind('containment')).map((c) => c.value)).toEqual([0, 1]);
    const fcr = await behind('fcr');
    expect(fcr.map((c) => c.value)).toEqual([0, 1]);
    expect(fcr[1]?.conversationId).toBe(rated);
    expect(await behind('containment', '&dimension=channel&value=sms')).toEqual([]);
    // The bot's first answers, slowest first, one per conversation it answered; the rating, lowest first.
    const ai = await behind('aiResponseSeconds');
    expect(ai.length).toBeGreaterThanOrEqual(2);
    expect(ai.map((c) => c.value)).toEqual([...ai.map((c) => c.value)].sort((a, b) => b - a));
    expect(new Set(ai.map((c) => c.conversationId)).size).toBe(ai.length);
    expect(await behind('csat')).toEqual([expect.objectContaining({ conversationId: rated, value: 4 })]);
    const bad = await t.app.inject({
      url: '/api/v1/kpis/conversations?kpi=wallboard',
      headers: { cookie: owner.cookie },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('narrows by channel and agent, and a day with nothing has no data', async () => {
    expect((await kpis('from=2026-11-20&to=2026-11-20&dimension=channel&value=api')).body.conversations).toBe(
      3,
    );
    const sms = await kpis('from=2026-11-20&to=2026-11-20&dimension=channel&value=sms');
    expect(sms.body.conversations).toBe(0);
    expect(sms.of('fcr')?.status).toBe('no_data');
    const none = await kpis('from=2026-11-19&to=2026-11-19');
    expect(none.body.kpis.every((k) => k.status === 'no_data')).toBe(true);
  });

  it('counts an event heard twice once', async () => {
    const event = {
      name: 'conversation.rated' as const,
      workspaceId,
      occurredAt: new Date(START + 3_600_000).toISOString(),
      conversationId: rated,
      score: 1,
    };
    await t.app.zhike.bus.publish([event]);
    await t.app.zhike.bus.publish([event]);
    const { of } = await kpis();
    expect(of('csat')).toMatchObject({ value: 2.5, basis: 2 }); // (4 + 1) / 2, not (4 + 1 + 1) / 3
  });

  it('drills complaint closure and SLA attainment down to the complaints and tickets behind them', async () => {
    const post = async (url: string, payload: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url, headers: owner.headers, payload });
      expect(res.statusCode, res.body).toBeLessThan(300);
      await drain();
      return res.json();
    };
    type Row = {
      conversationId: string | null;
      ticketId: string | null;
      complaintId: string | null;
      value: number;
    };
    const behind = async (kpi: string) => {
      const res = await t.app.inject({
        url: `/api/v1/kpis/conversations?kpi=${kpi}&from=2026-11-20&to=2026-11-20`,
        headers: { cookie: owner.cookie },
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { conversations: Row[] }).conversations;
    };
    const { complaint } = await post('/api/v1/complaints', { conversationId: rated, note: '物流太慢' });
    expect(await behind('complaintClosure')).toEqual([
      expect.objectContaining({ complaintId: complaint.id, conversationId: rated, value: 0 }),
    ]);
    await post(`/api/v1/complaints/${complaint.id}/close`, {
      resolutionNote: '已补偿运费',
      customerConfirmed: true,
    });
    expect(await behind('complaintClosure')).toEqual([
      expect.objectContaining({ complaintId: complaint.id, value: 1 }),
    ]);

    // Tickets answered within an hour, round the clock: one solved at once, one two hours late.
    await post('/api/v1/sla/policies', {
      name: '一小时',
      conditions: { priority: null, category: null, customerTier: null },
      targets: { first_response: 60, next_response: 60, resolution: 60 },
      businessHours: false,
      escalation: { notifySupervisors: false, raisePriority: false, reassignToUserId: null },
      enabled: true,
    });
    const onTime = (await post('/api/v1/tickets', { subject: '补发发票', conversationId: rated })).ticket;
    const late = (await post('/api/v1/tickets', { subject: '退款未到账', conversationId: rated })).ticket;
    await post(`/api/v1/tickets/${onTime.id}/status`, { status: 'solved' });
    advance(2 * 3600);
    await drain(); // the SLA deadline passes
    await post(`/api/v1/tickets/${late.id}/status`, { status: 'solved' });
    expect(await behind('slaAttainment')).toEqual([
      expect.objectContaining({ ticketId: late.id, conversationId: rated, value: 0 }),
      expect.objectContaining({ ticketId: onTime.id, conversationId: rated, value: 1 }),
    ]);
    const { of } = await kpis();
    expect(of('slaAttainment')).toMatchObject({ value: 0.5, basis: 2 });
    expect(of('complaintClosure')).toMatchObject({ value: 1, basis: 1 });
    // The facts carry the conversation's channel: a filter narrows them like the sums.
    const sms = await t.app.inject({
      url: '/api/v1/kpis/conversations?kpi=slaAttainment&from=2026-11-20&to=2026-11-20&dimension=channel&value=sms',
      headers: { cookie: owner.cookie },
    });
    expect((sms.json() as { conversations: Row[] }).conversations).toEqual([]);
  });

  it('breaks a one-day range down by hour from the hourly rollups', async () => {
    const { body } = await kpis();
    expect(body.hourly).toHaveLength(24);
    expect(body.hourly?.[0]?.hour).toBe('00:00'); // local midnight in Shanghai
    expect(body.hourly?.reduce((n, h) => n + h.conversations, 0)).toBe(body.conversations);
    // The conversations started at 10:00 local (02:00 UTC) and in the minutes after.
    expect(body.hourly?.find((h) => h.hour === '10:00')?.conversations).toBeGreaterThan(0);
    const perHour = body.hourly?.find((h) => h.hour === '10:00')?.values;
    expect(perHour?.aiResponseSeconds).not.toBeNull();
    expect((await kpis('from=2026-11-19&to=2026-11-20')).body.hourly).toBeNull();
  });

  it('judges each KPI against the shop’s own target where it set one', async () => {
    const put = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PUT', url: '/api/v1/kpis/targets', headers: owner.headers, payload });
    const set = await put({ csat: 4.5, aiResponseSeconds: 5 });
    expect(set.statusCode, set.body).toBe(200);
    const targets = (set.json() as { targets: { key: string; value: number; custom: boolean }[] }).targets;
    expect(targets.find((x) => x.key === 'csat')).toMatchObject({ value: 4.5, default: 4.2, custom: true });
    expect(targets.find((x) => x.key === 'fcr')).toMatchObject({ value: 0.85, custom: false });
    const { of } = await kpis();
    expect(of('csat')?.target).toEqual({ kind: 'min', value: 4.5 });
    expect(of('aiResponseSeconds')?.target).toEqual({ kind: 'max', value: 5 });
    for (const bad of [{ csat: 6 }, { fcr: 1.2 }, { handleMinutes: 0 }, { wallboard: 1 }])
      expect((await put(bad)).statusCode, JSON.stringify(bad)).toBe(400);
    // null puts the brief's target back; the others stay.
    expect((await put({ csat: null })).statusCode).toBe(200);
    const after = await kpis();
    expect(after.of('csat')?.target.value).toBe(4.2);
    expect(after.of('aiResponseSeconds')?.target.value).toBe(5);
  });

  it('refuses bad ranges and filters, and callers without the permission', async () => {
    for (const query of [
      'from=2026-13-01',
      'from=2026-11-21&to=2026-11-20',
      'team=x',
      'channel=api&intent=x',
    ]) {
      const res = await t.app.inject({ url: `/api/v1/kpis?${query}`, headers: { cookie: owner.cookie } });
      expect(res.statusCode, query).toBe(400);
    }
    expect((await t.app.inject({ url: '/api/v1/kpis' })).statusCode).toBe(401);
  });
});
