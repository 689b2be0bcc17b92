// Acceptance (issue 10, SLA): a ticket's SLA clock counts business hours on the workspace calendar —
// it skips nights and a statutory holiday (Spring Festival 2026) and counts a 调休 Saturday (2026-02-14);
// the 75 % warning and the breach fire once each from `sla.check` jobs on the durable scheduler, and the
// breach escalates (priority one step up, reassigned, supervisors told); the clock pauses while pending
// on the customer, the first public agent reply meets the first response. On SQLite and PostgreSQL.
import type {
  SlaCalendarView,
  SlaPolicyView,
  SlaReport,
  TicketDetail,
  TicketList,
  TicketSlaView,
} from '@zhike/contracts';
import {
  changeTicketStatus,
  commentOnTicket,
  type DomainEvent,
  openTicket,
  trackTicketSla,
  type UseCaseDeps,
} from '@zhike/core';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

const sh = (local: string) => new Date(`${local}+08:00`);

describe.each(['sqlite', 'postgres'] as const)('SLA on business hours (%s)', (backend) => {
  let t: TestApp;
  let session: TestSession;
  let now = sh('2026-02-13T17:00'); // Friday, the evening before the 调休 Saturday
  const events: DomainEvent[] = [];
  let ownerId: string;

  beforeAll(async () => {
    t = await createTestApp(backend, { startWorker: false, clock: { now: () => now } });
    session = await t.login();
    ownerId = session.info.user.id;
    t.app.zhike.bus.subscribe((e) => {
      events.push(e);
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const deps = async (): Promise<UseCaseDeps> => ({
    store: t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()),
    clock: t.app.zhike.clock,
    newId: t.app.zhike.newId,
  });
  /** Publishes what a ticket use case produced (as the HTTP layer does), then runs due jobs. */
  const settle = async (produced?: { events: DomainEvent[] }) => {
    if (produced) await t.app.zhike.bus.publish(produced.events);
    for (let i = 0; i < 5 && (await t.app.zhike.worker.runDue()) > 0; i++);
  };
  const api = async <T>(method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown): Promise<T> => {
    const res = await t.app.inject({
      method,
      url,
      headers: session.headers,
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as T;
  };
  // The test clock jumps days ahead, past a console session's life: read the clocks with an API key.
  const clocksOf = async (ticketId: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/sla`,
      headers: { authorization: `Bearer ${await t.apiKey()}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as TicketSlaView;
  };
  const count = (name: DomainEvent['name']) => events.filter((e) => e.name === name).length;
  /** The ticket as the list shows it: its SLA summary at the test clock's now. */
  const listed = async (ticketId: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tickets?limit=200',
      headers: { authorization: `Bearer ${await t.apiKey()}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as TicketList).tickets.find((x) => x.id === ticketId);
  };

  it('shows the statutory calendar and takes a policy', async () => {
    const calendar = await api<SlaCalendarView>('GET', '/api/v1/sla/calendar?year=2026');
    expect(calendar).toMatchObject({ timeZone: 'Asia/Shanghai', chinaHolidays: true, year: 2026 });
    expect(calendar.days.find((d) => d.date === '2026-02-14')).toMatchObject({ kind: 'workday' });
    expect(calendar.days.find((d) => d.date === '2026-02-16')).toMatchObject({ kind: 'holiday' });
    const { policy } = await api<{ policy: SlaPolicyView }>('POST', '/api/v1/sla/policies', {
      name: '标准',
      conditions: { priority: null, category: null, customerTier: null },
      targets: { first_response: 480, next_response: 120, resolution: 960 },
      businessHours: true,
      escalation: { notifySupervisors: true, raisePriority: true, reassignToUserId: ownerId },
      enabled: true,
    });
    expect(policy.position).toBe(0);
  });

  let ticketId: string;

  it('starts the clocks on business hours: nights and Spring Festival skipped, the 调休 Saturday counted', async () => {
    // The customer wrote in through the API channel; the ticket is opened from that conversation.
    const inbound = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${await t.apiKey()}` },
      payload: {
        customer: { externalId: `sla-${backend}` },
        text: '打印机开不了机',
        messageId: `sla-${backend}-1`,
      },
    });
    expect(inbound.statusCode, inbound.body).toBe(200);
    const { conversationId } = inbound.json() as { conversationId: string };
    const conversation = await (await deps()).store.conversations.get(conversationId);
    const opened = await openTicket(await deps(), {
      conversationId,
      customerId: conversation?.customerId ?? null,
      subject: '设备故障：打印机无法开机',
      category: '设备故障',
      source: 'api',
      actor: { type: 'api', id: null },
      assigneeId: null,
    });
    ticketId = opened.ticket.id;
    await settle(opened);
    const { clocks } = await clocksOf(ticketId);
    const first = clocks.find((c) => c.metric === 'first_response');
    const resolution = clocks.find((c) => c.metric === 'resolution');
    // 8 h: Friday 17–18, then Saturday 14 Feb (a working day) 09:00–16:00.
    expect(first).toMatchObject({ state: 'running', dueAt: sh('2026-02-14T16:00').toISOString() });
    // 16 h: 1 h Friday, 9 h Saturday, nine days of Spring Festival off, then Tuesday 24 Feb 09:00–15:00.
    expect(resolution).toMatchObject({ state: 'running', dueAt: sh('2026-02-24T15:00').toISOString() });
    // The list names the customer and the target due first.
    expect(await listed(ticketId)).toMatchObject({
      customer: { id: conversation?.customerId, externalId: `sla-${backend}` },
      sla: { metric: 'first_response', state: 'running', dueAt: sh('2026-02-14T16:00').toISOString() },
    });
  }, 120_000);

  it('warns at 75 % once, and a breach escalates once', async () => {
    now = sh('2026-02-14T13:59');
    await settle();
    expect(count('ticket.sla_warning')).toBe(0);
    now = sh('2026-02-14T14:00'); // 6 h of 8 used
    await settle();
    await settle();
    expect(count('ticket.sla_warning')).toBe(1);
    expect((await listed(ticketId))?.sla).toMatchObject({ metric: 'first_response', state: 'warning' });
    expect((await clocksOf(ticketId)).clocks[0]?.warnedAt).toBe(sh('2026-02-14T14:00').toISOString());

    now = sh('2026-02-14T16:00');
    await settle();
    expect(count('ticket.sla_breached')).toBe(1);
    expect((await listed(ticketId))?.sla).toMatchObject({
      metric: 'first_response',
      state: 'breached',
      breachedAt: sh('2026-02-14T16:00').toISOString(),
    });
    const breached = events.find((e) => e.name === 'ticket.sla_breached');
    expect(breached).toMatchObject({ metric: 'first_response', notifySupervisors: true });
    const store = (await deps()).store;
    expect(await store.tickets.get(ticketId)).toMatchObject({ priority: 'high', assigneeId: ownerId });
    // Another check (a duplicate job, a retry) changes nothing: still one breach, one step up.
    await store.jobs.enqueue({
      name: 'sla.check',
      payload: { workspaceId: store.workspaceId, ticketId },
      runAt: now.toISOString(),
    });
    await settle();
    expect(count('ticket.sla_breached')).toBe(1);
    expect((await store.tickets.get(ticketId))?.priority).toBe('high');
    expect((await clocksOf(ticketId)).clocks.find((c) => c.metric === 'first_response')?.state).toBe(
      'breached',
    );
  }, 120_000);

  it('meets the first response on a public agent reply, and pauses while pending on the customer', async () => {
    now = sh('2026-02-14T17:00');
    const actor = { type: 'user' as const, id: ownerId };
    await settle(
      await commentOnTicket(await deps(), {
        ticketId,
        body: '您好，请先检查电源。',
        visibility: 'public',
        actor,
      }),
    );
    const afterReply = (await clocksOf(ticketId)).clocks;
    expect(afterReply.find((c) => c.metric === 'first_response')?.stoppedAt).toBe(now.toISOString());
    // Pending on the customer from Saturday 17:00 (9 h of 16 used) until Wednesday 25 Feb 09:00.
    await settle(
      await changeTicketStatus(await deps(), {
        ticketId,
        status: 'pending',
        pendingReason: 'customer',
        actor,
      }),
    );
    now = sh('2026-02-24T16:00');
    await settle();
    const paused = (await clocksOf(ticketId)).clocks.find((c) => c.metric === 'resolution');
    expect(paused).toMatchObject({ state: 'paused', elapsedMinutes: 540, dueAt: null });
    expect(count('ticket.sla_breached')).toBe(1); // its old deadline (24 Feb 15:00) passed while paused
    // The missed first response is settled; what is at stake now is the paused resolution.
    expect((await listed(ticketId))?.sla).toMatchObject({
      metric: 'resolution',
      state: 'paused',
      dueAt: null,
    });
    now = sh('2026-02-25T09:00');
    await settle(await changeTicketStatus(await deps(), { ticketId, status: 'open', actor }));
    const resumed = (await clocksOf(ticketId)).clocks.find((c) => c.metric === 'resolution');
    expect(resumed).toMatchObject({ state: 'running', dueAt: sh('2026-02-25T16:00').toISOString() });
    now = sh('2026-02-25T14:00');
    await settle(await changeTicketStatus(await deps(), { ticketId, status: 'solved', actor }));
    const solved = (await clocksOf(ticketId)).clocks.find((c) => c.metric === 'resolution');
    expect(solved).toMatchObject({ state: 'met', elapsedMinutes: 840 });
    // All settled: the ticket shows the target it missed; a solved ticket may reopen or close.
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}`,
      headers: { authorization: `Bearer ${await t.apiKey()}` },
    });
    expect(detail.json() as TicketDetail).toMatchObject({
      ticket: { sla: { metric: 'first_response', state: 'breached', dueAt: null } },
      moves: ['open', 'closed'],
    });
  });

  it('reports met and breached targets for the period', async () => {
    now = sh('2026-02-13T17:00'); // back to when the console session was signed in
    const report = await api<SlaReport>(
      'GET',
      `/api/v1/sla/report?from=${encodeURIComponent('2026-02-01T00:00:00Z')}&to=${encodeURIComponent('2026-03-01T00:00:00Z')}`,
    );
    expect(report.byMetric.find((m) => m.metric === 'first_response')).toMatchObject({ met: 0, breached: 1 });
    expect(report.byMetric.find((m) => m.metric === 'resolution')).toMatchObject({
      met: 1,
      breached: 0,
      metRate: 1,
    });
    expect(report.byCategory.find((c) => c.metric === 'resolution')).toMatchObject({
      category: '设备故障',
      met: 1,
    });
  });

  it('announces a target met late before its check ran as a breach (the KPIs count it)', async () => {
    now = sh('2026-03-02T10:00'); // a Monday: the first response is due at 18:00
    const inbound = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${await t.apiKey()}` },
      payload: {
        customer: { externalId: `sla-late-${backend}` },
        text: '发票抬头写错了',
        messageId: `sla-late-${backend}`,
      },
    });
    expect(inbound.statusCode, inbound.body).toBe(200);
    const opened = await openTicket(await deps(), {
      conversationId: (inbound.json() as { conversationId: string }).conversationId,
      subject: '发票抬头写错了',
      source: 'api',
      actor: { type: 'api', id: null },
      assigneeId: ownerId,
    });
    await settle(opened);
    // The reply comes the next morning and is tracked before the deadline's check ran (the worker was
    // down overnight; the reply's job came first).
    now = sh('2026-03-03T10:00');
    const tracked = await trackTicketSla(await deps(), {
      ticketId: opened.ticket.id,
      activity: { kind: 'replied', by: 'agent' },
      at: now.toISOString(),
    });
    expect(tracked.events).toEqual([
      expect.objectContaining({
        name: 'ticket.sla_breached',
        ticketId: opened.ticket.id,
        metric: 'first_response',
        dueAt: sh('2026-03-02T18:00').toISOString(),
        notifySupervisors: false, // met already, late: nobody is alerted
      }),
    ]);
    // The check that runs afterwards finds it settled: one breach, announced once.
    const before = count('ticket.sla_breached');
    await settle(tracked);
    expect(count('ticket.sla_breached')).toBe(before + 1);
    const first = (await clocksOf(opened.ticket.id)).clocks.find((c) => c.metric === 'first_response');
    expect(first?.state).toBe('breached');
  });
});
