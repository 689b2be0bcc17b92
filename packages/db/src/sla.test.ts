// The SLA repository on both backends: the calendar with its dated edits (default until saved), policies
// in position order, ticket clocks unique per metric and cycle, warnings/breaches/escalations recorded
// once, the report's met/breached/open counts, and everything scoped to its workspace.
import {
  businessClock,
  createIdGenerator,
  defaultWorkspaceCalendar,
  type SlaPolicy,
  startClock,
  stopClock,
  systemClock,
  type WorkspaceStore,
} from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('SLA storage on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const workspaces: string[] = [];
  const store = (i: number): WorkspaceStore => db.forWorkspace(workspaces[i] as string);
  const t0 = '2026-11-26T03:00:00.000Z';
  const cal = businessClock(defaultWorkspaceCalendar());

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [masterKey(generateMasterKey())] });
    await db.migrate();
    for (const slug of ['sa', 'sb']) {
      const id = newId();
      workspaces.push(id);
      await db.directory.seedWorkspace({
        workspace: { id, slug, name: slug, locale: 'zh-CN', createdAt: t0 },
        owner: {
          id: newId(),
          workspaceId: id,
          email: `${slug}@x.test`,
          name: slug,
          role: 'owner',
          createdAt: t0,
          passwordHash: 'x',
        },
        inboxes: [],
        faqs: [],
      });
    }
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('keeps the calendar with its edits, defaulting until saved', async () => {
    expect(await store(0).sla.calendar.get()).toEqual({ ...defaultWorkspaceCalendar(), updatedAt: null });
    const calendar = {
      hours: { timeZone: 'Asia/Tokyo', periods: [{ days: [1, 2, 3], open: '08:30', close: '17:00' }] },
      chinaHolidays: false,
      overrides: [
        { date: '2026-12-31', kind: 'holiday' as const, name: '年终盘点' },
        { date: '2026-04-06', kind: 'regular' as const, name: '' },
      ],
    };
    await store(0).sla.calendar.save(calendar, t0);
    await store(0).sla.calendar.save(calendar, t0); // saving again replaces, never duplicates
    const saved = await store(0).sla.calendar.get();
    expect(saved).toEqual({
      ...calendar,
      overrides: [calendar.overrides[1], calendar.overrides[0]],
      updatedAt: t0,
    });
    expect((await store(1).sla.calendar.get()).updatedAt).toBeNull();
  });

  const policy = (id: string, position: number, patch: Partial<SlaPolicy> = {}): SlaPolicy => ({
    id,
    name: `p${position}`,
    conditions: { priority: 'urgent', category: '设备故障', customerTier: 'vip' },
    targets: { first_response: 30, next_response: null, resolution: 480 },
    businessHours: true,
    escalation: { notifySupervisors: true, raisePriority: false, reassignToUserId: 'u1' },
    enabled: true,
    position,
    createdAt: t0,
    updatedAt: t0,
    ...patch,
  });

  it('stores policies in position order and replaces by id', async () => {
    const a = newId();
    const b = newId();
    await store(0).sla.policies.save(policy(a, 1));
    await store(0).sla.policies.save(policy(b, 0, { businessHours: false, enabled: false }));
    expect((await store(0).sla.policies.list()).map((p) => p.id)).toEqual([b, a]);
    await store(0).sla.policies.save(
      policy(a, 1, {
        name: 'renamed',
        targets: { first_response: null, next_response: 60, resolution: null },
      }),
    );
    expect(await store(0).sla.policies.get(a)).toEqual(
      policy(a, 1, {
        name: 'renamed',
        targets: { first_response: null, next_response: 60, resolution: null },
      }),
    );
    expect(await store(0).sla.policies.nextPosition()).toBe(2);
    expect(await store(1).sla.policies.get(a)).toBeNull();
    expect(await store(1).sla.policies.remove(a)).toBe(false);
    expect(await store(0).sla.policies.remove(a)).toBe(true);
    expect(await store(0).sla.policies.list()).toHaveLength(1);
  });

  it('keeps clocks once per metric and cycle, and records alerts once', async () => {
    const ticketId = newId();
    const clock = startClock(
      {
        id: newId(),
        ticketId,
        metric: 'first_response',
        cycle: 0,
        policyId: 'p',
        targetMinutes: 60,
        businessHours: true,
        priority: 'high',
        category: '设备故障',
        customerTier: 'vip',
        startedAt: '2026-11-24T01:00:00.000Z',
      },
      cal,
    );
    expect(await store(0).sla.clocks.insert(clock)).toBe(true);
    expect(await store(0).sla.clocks.insert({ ...clock, id: newId() })).toBe(false);
    expect(await store(0).sla.clocks.forTicket(ticketId)).toEqual([
      { ...clock, escalation: null, escalatedAt: null },
    ]);
    expect(await store(1).sla.clocks.forTicket(ticketId)).toEqual([]);
    expect((await store(0).sla.clocks.forTickets([ticketId, newId()])).map((c) => c.id)).toEqual([clock.id]);
    expect(await store(0).sla.clocks.forTickets([])).toEqual([]);
    expect(await store(1).sla.clocks.forTickets([ticketId])).toEqual([]);
    expect(await store(1).sla.clocks.markWarned(clock.id, t0)).toBe(false);
    expect(await store(0).sla.clocks.markWarned(clock.id, t0)).toBe(true);
    expect(await store(0).sla.clocks.markWarned(clock.id, t0)).toBe(false);
    const plan = { priority: 'urgent' as const, assigneeId: null, notifySupervisors: true };
    expect(await store(0).sla.clocks.markBreached(clock.id, t0, plan)).toBe(true);
    expect(await store(0).sla.clocks.markBreached(clock.id, t0, plan)).toBe(false);
    expect(await store(0).sla.clocks.markEscalated(clock.id, t0)).toBe(true);
    expect(await store(0).sla.clocks.markEscalated(clock.id, t0)).toBe(false);
    const stopped = stopClock(clock, cal, new Date('2026-11-24T03:00:00.000Z'));
    await store(0).sla.clocks.update(stopped);
    const [row] = await store(0).sla.clocks.forTicket(ticketId);
    expect(row).toMatchObject({
      elapsedMs: 2 * 3_600_000,
      stoppedAt: '2026-11-24T03:00:00.000Z',
      escalation: plan,
      warnedAt: t0,
    });
    // A new target (the ticket's priority changed) may take the warning back; only in its workspace.
    const urgent = {
      ...stopped,
      policyId: 'p2',
      targetMinutes: 30,
      priority: 'urgent' as const,
      warnedAt: null,
    };
    await store(1).sla.clocks.retarget(urgent);
    expect((await store(0).sla.clocks.forTicket(ticketId))[0]).toMatchObject({ policyId: 'p', warnedAt: t0 });
    await store(0).sla.clocks.retarget(urgent);
    expect((await store(0).sla.clocks.forTicket(ticketId))[0]).toMatchObject({
      policyId: 'p2',
      targetMinutes: 30,
      priority: 'urgent',
      category: '设备故障',
      warnedAt: null,
      escalation: plan,
    });
  });

  it('reports met, breached and open clocks per metric, priority and category', async () => {
    const start = (metric: 'first_response' | 'resolution', startedAt: string) =>
      startClock(
        {
          id: newId(),
          ticketId: newId(),
          metric,
          cycle: 0,
          policyId: 'p',
          targetMinutes: 60,
          businessHours: false,
          priority: 'normal',
          category: null,
          customerTier: null,
          startedAt,
        },
        cal,
      );
    const met = start('resolution', '2026-10-05T01:00:00.000Z');
    const late = start('resolution', '2026-10-06T01:00:00.000Z');
    const open = start('resolution', '2026-10-07T01:00:00.000Z');
    const outside = start('resolution', '2026-09-07T01:00:00.000Z');
    for (const c of [met, late, open, outside]) await store(1).sla.clocks.insert(c);
    await store(1).sla.clocks.update(stopClock(met, cal, new Date('2026-10-05T01:30:00.000Z')));
    await store(1).sla.clocks.markBreached(late.id, t0, {
      priority: null,
      assigneeId: null,
      notifySupervisors: false,
    });
    expect(
      await store(1).sla.clocks.report({ from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }),
    ).toEqual([{ metric: 'resolution', priority: 'normal', category: null, met: 1, breached: 1, open: 1 }]);
  });
});
