// The workspace's ticket configuration over the API on both backends: admins define custom fields (which
// then govern what tickets accept, with the field named in the 400), order and archive them, write
// assignment rules that route the next ticket, and set the reopen window; agents read the fields but
// change nothing; bad bodies are 400 problems.
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

describe.each(testBackends)('ticket settings on %s', { timeout: 120_000 }, (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let agent: TestSession;
  let agentId = '';
  let workspaceId = '';

  const inject = (opts: {
    method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
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
    workspaceId = await t.demoWorkspaceId();
    ({ id: agentId, session: agent } = await t.signInNewUser({ email: 'wang@shop.test', name: '王芳' }));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('defines custom fields that tickets are then checked against', async () => {
    const add = (payload: unknown, as?: TestSession) =>
      inject({ method: 'POST', url: '/api/v1/ticket-fields', payload, ...(as ? { as } : {}) });
    const model = await add({ key: 'model', label: '型号', labelEn: 'Model', kind: 'text', required: true });
    expect(model.statusCode).toBe(201);
    expect(model.json().field).toMatchObject({
      key: 'model',
      label: '型号',
      labelEn: 'Model',
      kind: 'text',
      options: [],
      required: true,
      position: 0,
      archived: false,
    });
    const channel = await add({
      key: 'channel',
      label: '购买渠道',
      kind: 'select',
      options: ['门店', '线上'],
    });
    expect(channel.json().field).toMatchObject({ labelEn: null, options: ['门店', '线上'], position: 1 });
    expect((await add({ key: 'units', label: '数量', kind: 'number' })).statusCode).toBe(201);
    expect((await add({ key: 'bought_on', label: '购买日期', kind: 'date' })).statusCode).toBe(201);

    // Agents read the definitions (the detail page needs them) but do not change them.
    const read = await inject({ url: '/api/v1/ticket-fields', as: agent });
    expect(read.statusCode).toBe(200);
    expect(read.json().fields.map((f: { key: string }) => f.key)).toEqual([
      'model',
      'channel',
      'units',
      'bought_on',
    ]);
    expect((await add({ key: 'color', label: '颜色', kind: 'text' }, agent)).statusCode).toBe(403);

    // Bad definitions: a select without options, options on a text field, a taken key, a bad key, a bad kind.
    const bad = [
      { key: 'size', label: '尺寸', kind: 'select' },
      { key: 'size', label: '尺寸', kind: 'select', options: ['大', '大'] },
      { key: 'note', label: '备注', kind: 'text', options: ['x'] },
      { key: 'Model', label: '型号', kind: 'text' },
      { key: 'size', label: '尺寸', kind: 'colour' },
      { key: 'size', label: '  ', kind: 'text' },
      { key: 'size', label: '尺寸', kind: 'text', extra: 1 },
    ];
    for (const payload of bad) {
      const res = await add(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await add({ key: 'model', label: '又一个型号', kind: 'text' })).statusCode).toBe(409);

    // Tickets now follow the definitions, naming the field that is wrong.
    const open = (customFields: Record<string, string | number>) =>
      inject({ method: 'POST', url: '/api/v1/tickets', payload: { subject: '空调异响', customFields } });
    const missing = await open({ units: 1 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toContain('"model"');
    const unknown = await open({ model: 'KFR-35', colour: 'white' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toContain('"colour"');
    const wrongOption = await open({ model: 'KFR-35', channel: '电话' });
    expect(wrongOption.json().detail).toContain('"channel"');
    const ticket = (
      await open({ model: 'KFR-35', channel: '线上', units: 1, bought_on: '2026-11-01' })
    ).json().ticket;
    expect(ticket.customFields).toEqual({
      model: 'KFR-35',
      channel: '线上',
      units: 1,
      bought_on: '2026-11-01',
    });

    // Options and labels change; key and kind are fixed.
    const channelId = channel.json().field.id;
    const changed = await inject({
      method: 'PATCH',
      url: `/api/v1/ticket-fields/${channelId}`,
      payload: { options: ['门店', '线上', '电话'], labelEn: 'Channel', position: 5 },
    });
    expect(changed.json().field).toMatchObject({
      options: ['门店', '线上', '电话'],
      labelEn: 'Channel',
      position: 5,
    });
    expect(
      (
        await inject({
          method: 'PATCH',
          url: `/api/v1/ticket-fields/${channelId}`,
          payload: { kind: 'text' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await inject({ method: 'PATCH', url: `/api/v1/ticket-fields/${channelId}`, payload: {} })).statusCode,
    ).toBe(400);
    const patched = await inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      as: agent,
      payload: { customFields: { channel: '电话' } },
    });
    expect(patched.json().ticket.customFields.channel).toBe('电话');

    // Archiving: old values stay, the key is refused from now on, and a required archived field is not asked.
    const modelId = model.json().field.id;
    expect((await inject({ method: 'DELETE', url: `/api/v1/ticket-fields/${modelId}` })).statusCode).toBe(
      204,
    );
    expect(
      (await inject({ method: 'DELETE', url: `/api/v1/ticket-fields/${modelId}`, as: agent })).statusCode,
    ).toBe(403);
    const after = (await inject({ url: `/api/v1/tickets/${ticket.id}` })).json().ticket;
    expect(after.customFields.model).toBe('KFR-35');
    expect((await open({ model: 'KFR-50' })).statusCode).toBe(400);
    expect((await open({})).statusCode).toBe(201);
    const unknownId = '01890a5d-ac96-774b-bcce-b302099a8057';
    expect((await inject({ method: 'DELETE', url: `/api/v1/ticket-fields/${unknownId}` })).statusCode).toBe(
      404,
    );

    // Later tests open tickets without these fields.
    for (const f of (await inject({ url: '/api/v1/ticket-fields' })).json().fields)
      await inject({ method: 'DELETE', url: `/api/v1/ticket-fields/${f.id}` });
  });

  it('writes assignment rules that route the next ticket', async () => {
    const rule = {
      name: '退款 → 王芳',
      enabled: true,
      category: '退款',
      type: null,
      priority: null,
      queueId: null,
      userId: agentId,
      skills: [],
    };
    const created = await inject({ method: 'POST', url: '/api/v1/ticket-assignment-rules', payload: rule });
    expect(created.statusCode).toBe(201);
    const ruleId = created.json().rule.id;
    expect(created.json().rule).toMatchObject({ ...rule, position: 0 });
    const routed = await inject({
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { subject: '申请退款', category: '退款' },
    });
    expect(routed.json().ticket).toMatchObject({ assigneeId: agentId, status: 'open' });

    // Nowhere to go, an unknown team or user, a bad priority, an extra property: 400; agents: 403.
    for (const payload of [
      { ...rule, userId: null },
      { ...rule, userId: null, queueId: 'no-such-team' },
      { ...rule, userId: '01890a5d-ac96-774b-bcce-b302099a8057' },
      { ...rule, priority: 'asap' },
      { ...rule, extra: true },
    ]) {
      const res = await inject({ method: 'POST', url: '/api/v1/ticket-assignment-rules', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(
      (await inject({ method: 'POST', url: '/api/v1/ticket-assignment-rules', payload: rule, as: agent }))
        .statusCode,
    ).toBe(403);
    expect((await inject({ url: '/api/v1/ticket-assignment-rules', as: agent })).statusCode).toBe(403);

    // Disabled, it routes nothing; deleted, it is gone.
    const disabled = await inject({
      method: 'PUT',
      url: `/api/v1/ticket-assignment-rules/${ruleId}`,
      payload: { ...rule, enabled: false },
    });
    expect(disabled.json().rule).toMatchObject({ id: ruleId, enabled: false, position: 0 });
    const unrouted = await inject({
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { subject: '又一笔退款', category: '退款' },
    });
    expect(unrouted.json().ticket).toMatchObject({ assigneeId: null, status: 'new' });
    expect((await inject({ url: '/api/v1/ticket-assignment-rules' })).json().rules).toHaveLength(1);
    expect(
      (await inject({ method: 'DELETE', url: `/api/v1/ticket-assignment-rules/${ruleId}` })).statusCode,
    ).toBe(204);
    expect(
      (await inject({ method: 'DELETE', url: `/api/v1/ticket-assignment-rules/${ruleId}` })).statusCode,
    ).toBe(404);
    expect((await inject({ url: '/api/v1/ticket-assignment-rules' })).json().rules).toEqual([]);
  });

  it('sets the reopen window and customer notifications', async () => {
    expect((await inject({ url: '/api/v1/ticket-settings' })).json()).toEqual({
      reopenDays: 7,
      notifyCustomer: true,
    });
    const saved = await inject({
      method: 'PUT',
      url: '/api/v1/ticket-settings',
      payload: { reopenDays: 3, notifyCustomer: false },
    });
    expect(saved.json()).toEqual({ reopenDays: 3, notifyCustomer: false });
    expect(await t.app.zhike.db.forWorkspace(workspaceId).tickets.settings.get()).toMatchObject({
      reopenDays: 3,
      notifyCustomer: false,
      closeDays: 14,
    });
    for (const payload of [
      { reopenDays: -1, notifyCustomer: true },
      { reopenDays: 400, notifyCustomer: true },
      { reopenDays: 2.5, notifyCustomer: true },
      { reopenDays: 3 },
    ]) {
      const res = await inject({ method: 'PUT', url: '/api/v1/ticket-settings', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(
      (
        await inject({
          method: 'PUT',
          url: '/api/v1/ticket-settings',
          payload: { reopenDays: 3, notifyCustomer: true },
          as: agent,
        })
      ).statusCode,
    ).toBe(403);
  });
});
