// SLA settings over HTTP: the business calendar (China's statutory days built in, the workspace's own
// dates, validation of zone and dates), SLA policies (create, edit, delete, a reassignee of this workspace
// only) and the report's period checks. Malformed input is a 400 problem, never a 500.
import type { SlaCalendarView, SlaPolicyView, SlaReport } from '@zhike/contracts';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

const policyBody = {
  name: 'VIP 紧急',
  conditions: { priority: 'urgent', category: null, customerTier: 'vip' },
  targets: { first_response: 30, next_response: 60, resolution: 240 },
  businessHours: false,
  escalation: { notifySupervisors: true, raisePriority: true, reassignToUserId: null },
  enabled: true,
};

describe.each(['sqlite', 'postgres'] as const)('SLA settings API (%s)', (backend) => {
  let t: TestApp;
  let session: TestSession;
  beforeAll(async () => {
    t = await createTestApp(backend, {
      startWorker: false,
      clock: { now: () => new Date('2026-11-26T02:00:00Z') },
    });
    session = await t.login();
  });
  afterAll(async () => {
    await t?.close();
  });
  const call = async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) => {
    const options: InjectOptions = { method, url, headers: session.headers };
    if (payload !== undefined) options.payload = payload;
    return t.app.inject(options);
  };

  it('serves the default calendar with this year’s statutory days, and saves edits', async () => {
    const res = await call('GET', '/api/v1/sla/calendar?year=2026');
    expect(res.statusCode).toBe(200);
    const view = res.json() as SlaCalendarView;
    expect(view).toMatchObject({
      year: 2026,
      chinaHolidays: true,
      updatedAt: null,
      builtInYears: [2025, 2026],
    });
    expect(view.days.filter((d) => d.kind === 'workday')).toHaveLength(6);

    const saved = await call('PUT', '/api/v1/sla/calendar', {
      timeZone: 'Asia/Shanghai',
      periods: [{ days: [1, 2, 3, 4, 5, 6], open: '08:00', close: '20:00' }],
      chinaHolidays: true,
      overrides: [
        { date: '2026-12-24', kind: 'holiday', name: ' 年会 ' },
        { date: '2026-10-07', kind: 'regular', name: '' },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const after = (await call('GET', '/api/v1/sla/calendar?year=2026')).json() as SlaCalendarView;
    expect(after.periods).toEqual([{ days: [1, 2, 3, 4, 5, 6], open: '08:00', close: '20:00' }]);
    expect(after.days.find((d) => d.date === '2026-12-24')).toEqual({
      date: '2026-12-24',
      kind: 'holiday',
      name: '年会',
    });
    expect(after.days.find((d) => d.date === '2026-10-07')).toBeUndefined();
    expect(after.days.find((d) => d.date === '2026-10-06')).toMatchObject({ name: 'national_day' });
    expect(((await call('GET', '/api/v1/sla/calendar?year=2027')).json() as SlaCalendarView).days).toEqual(
      [],
    );
  });

  it('refuses a bad zone, a bad or repeated date and malformed hours with 400', async () => {
    const base = { timeZone: 'Asia/Shanghai', periods: [], chinaHolidays: true, overrides: [] };
    for (const body of [
      { ...base, timeZone: 'Mars/Olympus' },
      { ...base, overrides: [{ date: '2026-02-30', kind: 'holiday', name: 'x' }] },
      {
        ...base,
        overrides: [
          { date: '2026-02-02', kind: 'holiday', name: 'x' },
          { date: '2026-02-02', kind: 'workday', name: 'y' },
        ],
      },
      { ...base, periods: [{ days: [1], open: '25:00', close: '18:00' }] },
      { ...base, overrides: [{ date: '2026-02-02', kind: 'sometimes', name: 'x' }] },
    ]) {
      const res = await call('PUT', '/api/v1/sla/calendar', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('creates, lists, edits and deletes policies', async () => {
    const created = await call('POST', '/api/v1/sla/policies', policyBody);
    expect(created.statusCode, created.body).toBe(201);
    const { policy } = created.json() as { policy: SlaPolicyView };
    const second = (
      await call('POST', '/api/v1/sla/policies', {
        ...policyBody,
        name: '默认',
        conditions: { priority: null, category: null, customerTier: null },
      })
    ).json() as { policy: SlaPolicyView };
    expect(second.policy.position).toBe(policy.position + 1);

    const edited = await call('PUT', `/api/v1/sla/policies/${policy.id}`, {
      ...policyBody,
      targets: { first_response: null, next_response: null, resolution: 120 },
      escalation: { ...policyBody.escalation, reassignToUserId: session.info.user.id },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const list = (await call('GET', '/api/v1/sla/policies')).json() as { policies: SlaPolicyView[] };
    expect(list.policies.map((p) => p.name)).toEqual(['VIP 紧急', '默认']);
    expect(list.policies[0]).toMatchObject({
      targets: { first_response: null, next_response: null, resolution: 120 },
      escalation: { reassignToUserId: session.info.user.id },
    });

    expect((await call('DELETE', `/api/v1/sla/policies/${policy.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v1/sla/policies/${policy.id}`)).statusCode).toBe(404);
    expect((await call('PUT', `/api/v1/sla/policies/${policy.id}`, policyBody)).statusCode).toBe(404);
  });

  it('refuses a stranger as reassignee, zero targets and unknown fields', async () => {
    const stranger = {
      ...policyBody,
      escalation: { ...policyBody.escalation, reassignToUserId: t.app.zhike.newId() },
    };
    expect((await call('POST', '/api/v1/sla/policies', stranger)).statusCode).toBe(400);
    const zero = { ...policyBody, targets: { first_response: 0, next_response: null, resolution: null } };
    expect((await call('POST', '/api/v1/sla/policies', zero)).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/sla/policies', { ...policyBody, extra: 1 })).statusCode).toBe(400);
    expect((await call('PUT', '/api/v1/sla/policies/not-an-id', policyBody)).statusCode).toBe(400);
  });

  it('reports an empty period and refuses a reversed or too long one', async () => {
    const ok = await call('GET', '/api/v1/sla/report?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z');
    expect(ok.statusCode, ok.body).toBe(200);
    const report = ok.json() as SlaReport;
    expect(report.byMetric.map((m) => [m.metric, m.met, m.breached, m.metRate])).toEqual([
      ['first_response', 0, 0, null],
      ['next_response', 0, 0, null],
      ['resolution', 0, 0, null],
    ]);
    expect(
      (await call('GET', '/api/v1/sla/report?from=2026-11-30T00:00:00Z&to=2026-11-01T00:00:00Z')).statusCode,
    ).toBe(400);
    expect(
      (await call('GET', '/api/v1/sla/report?from=2020-01-01T00:00:00Z&to=2026-11-01T00:00:00Z')).statusCode,
    ).toBe(400);
    expect((await call('GET', '/api/v1/sla/report?from=yesterday&to=today')).statusCode).toBe(400);
  });
});
