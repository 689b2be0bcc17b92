// Follow-up surveys through the real app and a real SMS adapter (Twilio's wire protocol, against the local
// double): a resolved SMS conversation gets its survey at the configured time (not before, and never in
// the quiet hours); the customer's reply "1" is the score (no bot turn, no new conversation), which opens
// a follow-up ticket and a complaint; closing that ticket closes the complaint, and an agent's own flag
// closes only with a resolution and the customer's confirmation. The survey page's link works once and only for its own survey.
import type { DomainEvent } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, eventually, type TestApp, type TestSession } from '../../apps/server/src/testing.ts';
import { type FakeTwilio, startFakeTwilio } from '../support/fakeProviders/twilio.ts';

const PUBLIC_URL = 'https://zhike.surveys.test';

describe.each(testBackends)('follow-up surveys over SMS on %s', (backend: Backend) => {
  let t: TestApp;
  let twilio: FakeTwilio;
  let owner: TestSession;
  let workspaceId: string;
  let hookPath: string;
  let seq = 0;
  const events: DomainEvent[] = [];
  // 2026-11-25 11:00 in Shanghai.
  let now = new Date('2026-11-25T03:00:00.000Z');
  const at = (iso: string) => {
    now = new Date(iso);
  };

  const drain = async () => {
    for (let round = 0; round < 50; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
    throw new Error('jobs kept coming');
  };
  const sms = async (from: string, text: string) => {
    const hook = twilio.inboundMessage(`${PUBLIC_URL}${hookPath}`, {
      from,
      body: text,
      sid: `SM${(++seq).toString().padStart(32, '0')}`,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: hookPath,
      headers: hook.headers,
      payload: hook.body,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    await drain();
  };
  const store = () => t.app.zhike.db.forWorkspace(workspaceId);
  const conversationOf = async (phone: string) => {
    const customer = await store().customers.findByIdentity('phone', phone);
    const conversations = customer ? await store().conversations.listByCustomer(customer.id) : [];
    return conversations;
  };
  const resolve = async (conversationId: string) => {
    // The fake clock jumps days: a fresh session each time.
    owner = await t.login();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/status`,
      headers: owner.headers,
      payload: { status: 'resolved' },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  };
  const surveyOf = (conversationId: string) =>
    eventually(async () => (await store().surveys.bySource(`conversation:${conversationId}`)) ?? undefined);
  const sentTo = (phone: string) => twilio.sent.filter((s) => s.to === phone);

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    t = await createTestApp(backend, {
      startWorker: false,
      clock: { now: () => now },
      env: { ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1', ZHIKE_PUBLIC_URL: PUBLIC_URL },
    });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    t.app.zhike.bus.subscribe((event) => {
      events.push(event);
    });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: '短信',
        adapter: 'twilio-sms',
        config: {
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: twilio.number,
          baseUrl: twilio.baseUrl,
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const inbox = created.json() as { id: string; hookUrl: string };
    hookPath = new URL(inbox.hookUrl).pathname;
    const settings = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/surveys/settings',
      headers: owner.headers,
      payload: {
        enabled: true,
        delayMinutes: 120,
        timeZone: 'Asia/Shanghai',
        quietHours: { start: '21:00', end: '09:00' },
        minDaysBetween: 30,
        linkTtlHours: 72,
      },
    });
    expect(settings.statusCode, settings.body).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await twilio?.close();
  });

  it('sends the survey SMS at the configured time; "1" opens a follow-up ticket and a complaint', async () => {
    const phone = '+8613800138001';
    await sms(phone, '你好，我想问一下退货怎么办理');
    const [conversation] = await conversationOf(phone);
    if (!conversation) throw new Error('no conversation');
    await resolve(conversation.id);
    const survey = await surveyOf(conversation.id);
    expect(survey.status).toBe('scheduled');
    expect(survey.dueAt).toBe('2026-11-25T05:00:00.000Z');

    const before = sentTo(phone).length;
    at('2026-11-25T04:59:00.000Z');
    await drain();
    expect(sentTo(phone).length).toBe(before);

    at('2026-11-25T05:00:00.000Z');
    await drain();
    const invitations = sentTo(phone).slice(before);
    expect(invitations).toHaveLength(1);
    const text = invitations[0]?.body ?? '';
    expect(text).toContain('回复数字1-5');
    const link = /https:\/\/zhike\.surveys\.test\/s\?t=([A-Za-z0-9_-]{22})/.exec(text);
    expect(link).not.toBeNull();
    expect((await store().surveys.get(survey.id))?.status).toBe('sent');
    // A second run of the job (a crash before it was marked done) sends nothing more.
    const job = (await t.app.zhike.db.jobs.list({ name: 'survey.send', workspaceId })).find(
      (j) => j.payload.surveyId === survey.id,
    );
    expect(job?.status).toBe('done');
    await t.app.zhike.surveys.sendSurvey(workspaceId, survey.id);
    expect(sentTo(phone).length).toBe(before + 1);

    const ticketsBefore = (await store().tickets.list({ limit: 100 })).length;
    const sentBeforeReply = sentTo(phone).length;
    at('2026-11-25T05:10:00.000Z');
    await sms(phone, '1');
    // The digit is the score: stored in the surveyed conversation, no new conversation, no bot answer.
    expect(await conversationOf(phone)).toHaveLength(1);
    expect(sentTo(phone).length).toBe(sentBeforeReply);
    const answered = await store().surveys.get(survey.id);
    expect(answered).toMatchObject({ status: 'answered', score: 1, answeredVia: 'reply', negative: true });
    expect((await store().assist.rating(conversation.id))?.score).toBe(1);
    expect((await store().conversations.get(conversation.id))?.status).toBe('resolved');

    const tickets = await store().tickets.list({ limit: 100 });
    expect(tickets).toHaveLength(ticketsBefore + 1);
    const ticket = tickets.find((x) => x.type === 'survey_followup');
    expect(ticket).toMatchObject({ conversationId: conversation.id, customerId: conversation.customerId });
    // Announced like every new ticket (its SLA clocks start, the console lists it).
    expect(events).toContainEqual(
      expect.objectContaining({ name: 'ticket.created', ticketId: ticket?.id, source: 'survey' }),
    );

    const board = await t.app.inject({
      method: 'GET',
      url: '/api/v1/complaints?status=open',
      headers: owner.headers,
    });
    expect(board.statusCode).toBe(200);
    const complaint = (
      board.json() as { complaints: { id: string; source: string; ticketId: string; score: number }[] }
    ).complaints.find((c) => c.ticketId === ticket?.id);
    expect(complaint).toMatchObject({ source: 'survey', score: 1 });

    const kpiOpen = await t.app.inject({
      method: 'GET',
      url: '/api/v1/complaints/kpi',
      headers: owner.headers,
    });
    expect(kpiOpen.json()).toMatchObject({ opened: 1, closed: 0, closureRate: 0, target: 1 });
    expect(ticket).toMatchObject({ priority: 'high', source: 'survey', status: 'new' });

    // The agent calls the customer back, and closes the follow-up ticket: the complaint closes with it.
    const closedTicket = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket?.id}/status`,
      headers: owner.headers,
      payload: { status: 'closed', note: '已为客户办理退款，客户电话确认满意' },
    });
    expect(closedTicket.statusCode, closedTicket.body).toBe(200);
    const closedComplaint = await eventually(async () => {
      const c = await store().complaints.get(complaint?.id ?? '');
      return c?.status === 'closed' ? c : undefined;
    });
    expect(closedComplaint).toMatchObject({
      confirmation: 'ticket_closed',
      resolutionNote: '已为客户办理退款，客户电话确认满意',
      closedBy: 'system',
    });

    // An agent's flag is closed by hand: only with a resolution and the customer's confirmation.
    const flagged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: owner.headers,
      payload: { conversationId: conversation.id, note: '客户来电再次投诉配送慢' },
    });
    expect(flagged.statusCode, flagged.body).toBe(201);
    const manual = (flagged.json() as { complaint: { id: string; source: string } }).complaint;
    expect(manual.source).toBe('manual');
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${manual.id}/close`,
      headers: owner.headers,
      payload: { resolutionNote: '已道歉', customerConfirmed: false },
    });
    expect(refused.statusCode).toBe(400);
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${manual.id}/close`,
      headers: owner.headers,
      payload: { resolutionNote: '已补发并道歉，客户确认', customerConfirmed: true },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ complaint: { status: 'closed', confirmation: 'customer' } });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${manual.id}/close`,
      headers: owner.headers,
      payload: { resolutionNote: '再次关闭', customerConfirmed: true },
    });
    expect(again.statusCode).toBe(409);
    const kpi = await t.app.inject({ method: 'GET', url: '/api/v1/complaints/kpi', headers: owner.headers });
    expect(kpi.json()).toMatchObject({ opened: 2, closed: 2, closureRate: 1 });
  });

  it('waits out the quiet hours, and surveys a customer at most once in the period', async () => {
    const phone = '+8613800138002';
    // 19:30 in Shanghai: due at 21:30, inside the quiet hours, so 09:00 the next morning.
    at('2026-11-25T11:30:00.000Z');
    await sms(phone, '请问营业时间是几点');
    const [first] = await conversationOf(phone);
    if (!first) throw new Error('no conversation');
    await resolve(first.id);
    const survey = await surveyOf(first.id);
    expect(survey.dueAt).toBe('2026-11-26T01:00:00.000Z');
    const before = sentTo(phone).length;
    at('2026-11-25T13:30:00.000Z');
    await drain();
    expect(sentTo(phone).length).toBe(before);

    // Another conversation of the same customer resolved meanwhile: no second survey.
    await sms(phone, '还有一个问题，运费多少');
    const second = (await conversationOf(phone)).find((c) => c.id !== first.id);
    if (!second) throw new Error('no second conversation');
    await resolve(second.id);
    expect((await surveyOf(second.id)).skipReason).toBe('recently_surveyed');
    const beforeMorning = sentTo(phone).length;

    at('2026-11-26T01:00:00.000Z');
    await drain();
    expect(sentTo(phone).length).toBe(beforeMorning + 1);
  });

  it('takes the answer on the survey page once; a wrong token is a 404', async () => {
    const phone = '+8613800138003';
    at('2026-11-26T02:00:00.000Z');
    await sms(phone, '在吗');
    const [conversation] = await conversationOf(phone);
    if (!conversation) throw new Error('no conversation');
    await resolve(conversation.id);
    await surveyOf(conversation.id);
    at('2026-11-26T04:00:00.000Z');
    await drain();
    const text = sentTo(phone).at(-1)?.body ?? '';
    const link = new URL(/https:\/\/\S+\/s\?t=[A-Za-z0-9_-]{22}/.exec(text)?.[0] ?? PUBLIC_URL);
    const path = `${link.pathname}${link.search}`;
    expect(link.search).toMatch(/^\?t=/);
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('name="score"');
    expect(page.body).not.toContain(phone);

    const noScore = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'comment=x',
    });
    expect(noScore.statusCode).toBe(422);
    const posted = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ score: '5', comment: '客服很耐心，谢谢！' }).toString(),
    });
    expect(posted.statusCode).toBe(303);
    await drain();
    const survey = await store().surveys.bySource(`conversation:${conversation.id}`);
    expect(survey).toMatchObject({
      status: 'answered',
      score: 5,
      comment: '客服很耐心，谢谢！',
      negative: false,
    });
    const again = await t.app.inject({ method: 'GET', url: path });
    expect(again.body).toContain('5');
    expect(again.body).not.toContain('name="score"');

    const wrong = await t.app.inject({ method: 'GET', url: `/s?t=${'A'.repeat(22)}` });
    expect(wrong.statusCode).toBe(404);
    const malformed = await t.app.inject({ method: 'GET', url: '/s?t=not-a-token' });
    expect(malformed.statusCode).toBeLessThan(500);

    const summary = await t.app.inject({
      method: 'GET',
      url: '/api/v1/surveys/summary?from=2026-11-01T00:00:00.000Z&to=2026-12-01T00:00:00.000Z',
      headers: owner.headers,
    });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json()).toMatchObject({ sent: 3, answered: 2, distribution: [1, 0, 0, 0, 1], csat: 0.5 });
  });

  it('a score about a solved ticket neither reopens it nor files anything new', async () => {
    const phone = '+8613800138004';
    at('2026-11-26T06:00:00.000Z');
    await sms(phone, '耳机左边没有声音');
    const [conversation] = await conversationOf(phone);
    if (!conversation) throw new Error('no conversation');
    const { ticket } = await t.app.zhike.commands.tickets.open(workspaceId, {
      subject: '耳机左声道无声',
      conversationId: conversation.id,
      source: 'agent',
      actor: { type: 'user', id: owner.info.user.id },
      assigneeId: owner.info.user.id,
    });
    await t.app.zhike.commands.tickets.changeStatus(workspaceId, {
      ticketId: ticket.id,
      status: 'solved',
      note: '已补发新耳机',
      actor: { type: 'user', id: owner.info.user.id },
    });
    await drain();
    const survey = await eventually(
      async () => (await store().surveys.bySource(`ticket:${ticket.id}`)) ?? undefined,
    );
    at('2026-11-26T08:00:00.000Z');
    await drain();
    expect((await store().surveys.get(survey.id))?.status).toBe('sent');
    const ticketsBefore = (await store().tickets.list({ limit: 100 })).length;
    at('2026-11-26T08:05:00.000Z');
    await sms(phone, '5');
    expect(await store().surveys.get(survey.id)).toMatchObject({ status: 'answered', score: 5 });
    expect((await store().tickets.get(ticket.id))?.status).toBe('solved');
    expect(await store().tickets.list({ limit: 100 })).toHaveLength(ticketsBefore);
  });
});
