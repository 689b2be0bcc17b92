// A ticket's priority changes through the API: its running SLA clocks count on against the new policy's
// targets (business time used so far kept, the warning and the deadline checked at the new times), while
// a clock already breached stays breached. One backend: the behaviour is in core, not in SQL.

import type { TicketSlaView, TicketView } from '@zhike/contracts';
import type { DomainEvent } from '@zhike/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing.ts';

const sh = (local: string) => new Date(`${local}+08:00`);

describe('SLA targets follow a priority change (sqlite)', () => {
  let t: TestApp;
  let key: string;
  let console: Record<string, string>;
  let now = sh('2026-11-24T09:00'); // a Tuesday, office hours 09:00–18:00
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    t = await createTestApp('sqlite', { startWorker: false, clock: { now: () => now } });
    key = await t.apiKey();
    console = (await t.login()).headers;
    t.app.zhike.bus.subscribe((e) => {
      events.push(e);
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const settle = async () => {
    for (let i = 0; i < 5 && (await t.app.zhike.worker.runDue()) > 0; i++);
  };
  /** With the API key; policies are the owner's (a signed-in user). */
  const api = async <T>(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown): Promise<T> => {
    const res = await t.app.inject({
      method,
      url,
      headers: url.startsWith('/api/v1/sla/') ? console : { authorization: `Bearer ${key}` },
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as T;
  };
  const clock = async (ticketId: string, metric: string) =>
    (await api<TicketSlaView>('GET', `/api/v1/tickets/${ticketId}/sla`)).clocks.find(
      (c) => c.metric === metric,
    );
  const policy = (name: string, priority: string | null, firstResponse: number, resolution: number) => ({
    name,
    conditions: { priority, category: null, customerTier: null },
    targets: { first_response: firstResponse, next_response: null, resolution },
    businessHours: true,
    escalation: { notifySupervisors: false, raisePriority: false, reassignToUserId: null },
    enabled: true,
  });

  it('moves the due time of running clocks and keeps a breach', async () => {
    await api('POST', '/api/v1/sla/policies', policy('标准', null, 30, 960));
    await api('POST', '/api/v1/sla/policies', policy('加急', 'urgent', 15, 240));
    const { ticket } = await api<TicketView>('POST', '/api/v1/tickets', {
      subject: '洗衣机漏水',
      priority: 'normal',
    });
    await settle();
    // 16 business hours: 9 today, then 7 on Wednesday.
    expect(await clock(ticket.id, 'resolution')).toMatchObject({
      state: 'running',
      targetMinutes: 960,
      dueAt: sh('2026-11-25T16:00').toISOString(),
    });

    now = sh('2026-11-24T10:00'); // the 30-minute first response was missed at 09:30
    await settle();
    expect(await clock(ticket.id, 'first_response')).toMatchObject({ state: 'breached', targetMinutes: 30 });

    await api('PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'urgent' });
    await settle();
    // One hour used of the urgent four: due at 13:00 today, warned at 12:00.
    expect(await clock(ticket.id, 'resolution')).toMatchObject({
      state: 'running',
      targetMinutes: 240,
      elapsedMinutes: 60,
      dueAt: sh('2026-11-24T13:00').toISOString(),
    });
    // Breached under the old target, breached still (the urgent 15 minutes do not rewrite history).
    expect(await clock(ticket.id, 'first_response')).toMatchObject({
      state: 'breached',
      targetMinutes: 30,
      breachedAt: sh('2026-11-24T09:30').toISOString(),
    });

    // The checks come at the new times, not the old ones.
    now = sh('2026-11-24T12:00');
    await settle();
    expect((await clock(ticket.id, 'resolution'))?.warnedAt).toBe(now.toISOString());
    now = sh('2026-11-24T13:00');
    await settle();
    expect(await clock(ticket.id, 'resolution')).toMatchObject({
      state: 'breached',
      breachedAt: now.toISOString(),
    });
    const breaches = events
      .filter((e) => e.name === 'ticket.sla_breached')
      .map((e) => 'metric' in e && e.metric);
    expect(breaches).toEqual(['first_response', 'resolution']);

    // Edits that are not priority or category leave the clocks alone.
    const before = await api<TicketSlaView>('GET', `/api/v1/tickets/${ticket.id}/sla`);
    await api('PATCH', `/api/v1/tickets/${ticket.id}`, { subject: '洗衣机漏水（已上门）' });
    await settle();
    expect(await api<TicketSlaView>('GET', `/api/v1/tickets/${ticket.id}/sla`)).toEqual(before);
  }, 60_000);
});
