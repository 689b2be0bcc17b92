// Agent throughput before and after assist, through the real app with a controlled clock, on both
// backends. The owner turns reply suggestions off, and the agent is online two hours on Monday and
// resolves two conversations (1 an hour). Assist goes back on Tuesday. On Wednesday the agent is online
// two hours again and resolves four (2 an hour): the comparison reports +100 %, target met. While off,
// the agent is offered no suggestions.
import type { AssistImpact, AssistSettingsView, ConversationSuggestions } from '@zhike/contracts';
import { rolePermissions } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

const MONDAY = Date.parse('2026-11-16T02:00:00.000Z'); // 10:00 in Shanghai
const DAY = 86_400_000;

describe.each(testBackends)('assist before and after on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let agent: { id: string; session: TestSession };
  let workspaceId: string;
  let key: string;
  let now = MONDAY;
  const clock = { now: () => new Date(now) };
  const drain = async () => {
    for (let i = 0; i < 50; i++) if ((await t.app.zhike.worker.runDue()) === 0) return;
  };
  const setAssist = async (enabled: boolean) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/assist/settings',
      headers: owner.headers,
      payload: { enabled },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AssistSettingsView;
  };
  const presence = async (status: 'online' | 'offline') => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/agents/me/status',
      headers: agent.session.headers,
      payload: { status },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** A customer asks for a person; the agent takes it, answers and resolves it 20 minutes later. */
  const handle = async (customer: string) => {
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: customer }, text: '转人工', messageId: `${customer}-1` },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const conversationId = asked.json().conversationId as string;
    await drain();
    const actor = { userId: agent.id, permissions: rolePermissions.agent };
    await t.app.zhike.commands.assignConversation(workspaceId, {
      conversationId,
      assigneeId: agent.id,
      actor,
    });
    now += 60_000;
    await t.app.zhike.commands.replyAsAgent(workspaceId, { conversationId, agentId: agent.id, text: '您好' });
    now += 19 * 60_000;
    await t.app.zhike.commands.changeConversationStatus(workspaceId, { conversationId, status: 'resolved' });
    await drain();
    return conversationId;
  };
  /** A day's shift: online for two hours, `count` conversations handled in it. */
  const shift = async (day: number, count: number) => {
    now = MONDAY + day * DAY;
    owner = await t.login();
    agent.session = await t.login('assist-agent@test.zhike', 'new-user-password');
    await presence('online');
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await handle(`d${day}-c${i}`));
    now = MONDAY + day * DAY + 2 * 3_600_000;
    await presence('offline');
    return ids;
  };

  beforeAll(async () => {
    t = await createTestApp(backend, { clock, startWorker: false });
    workspaceId = await t.demoWorkspaceId();
    key = await t.apiKey();
    owner = await t.login();
    agent = await t.signInNewUser({ email: 'assist-agent@test.zhike', name: '小张', role: 'agent' });
    // A shift here is quieter than auto-away's default allows: the agent stays online throughout.
    const settings = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/queue-settings',
      headers: owner.headers,
      payload: { autoAwayMinutes: 240 },
    });
    expect(settings.statusCode, settings.body).toBe(200);
  }, 60_000);
  afterAll(async () => t?.close());

  it('offers no suggestions while assist is off, and says so', async () => {
    const initial = await t.app.inject({ url: '/api/v1/assist/settings', headers: owner.headers });
    expect(initial.json()).toEqual({ enabled: true, enabledAt: null, updatedAt: null });
    expect(await setAssist(false)).toMatchObject({ enabled: false, enabledAt: null });
    const [first] = await shift(0, 2);
    const res = await t.app.inject({
      url: `/api/v1/conversations/${first}/suggestions`,
      headers: agent.session.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as ConversationSuggestions).suggestions).toEqual([]);
    // Nothing to compare yet: assist has not been turned on.
    const impact = await t.app.inject({ url: '/api/v1/metrics/assist-impact', headers: owner.headers });
    expect(impact.json() as AssistImpact).toMatchObject({ before: null, after: null, status: 'no_data' });
    // Agents may not switch it.
    const refused = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/assist/settings',
      headers: agent.session.headers,
      payload: { enabled: true },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('compares conversations per online hour either side of the day it went on', async () => {
    now = MONDAY + DAY;
    owner = await t.login();
    const on = await setAssist(true);
    expect(on).toMatchObject({ enabled: true, enabledAt: new Date(MONDAY + DAY).toISOString() });
    // The day it went on is left out of both sides: nothing to compare until the next day begins.
    const early = await t.app.inject({ url: '/api/v1/metrics/assist-impact', headers: owner.headers });
    expect((early.json() as AssistImpact).before).toBeNull();

    const [first] = await shift(2, 4);
    const res = await t.app.inject({
      url: `/api/v1/conversations/${first}/suggestions`,
      headers: agent.session.headers,
    });
    expect((res.json() as ConversationSuggestions).suggestions.length).toBeGreaterThan(0);

    const impact = await t.app.inject({
      url: '/api/v1/metrics/assist-impact?days=28',
      headers: owner.headers,
    });
    expect(impact.statusCode, impact.body).toBe(200);
    const body = impact.json() as AssistImpact;
    expect(body.before).toMatchObject({
      from: '2026-11-16',
      to: '2026-11-16',
      handled: 2,
      onlineHours: 2,
      handledPerOnlineHour: 1,
      handleSeconds: 1200,
    });
    expect(body.after).toMatchObject({
      from: '2026-11-18',
      to: '2026-11-18',
      handled: 4,
      onlineHours: 2,
      handledPerOnlineHour: 2,
    });
    expect(body).toMatchObject({ change: 1, target: 0.5, status: 'met', timeZone: 'Asia/Shanghai' });

    // Turning it on again while on does not move the split.
    expect((await setAssist(true)).enabledAt).toBe(on.enabledAt);
    const bad = await t.app.inject({ url: '/api/v1/metrics/assist-impact?days=0', headers: owner.headers });
    expect(bad.statusCode).toBe(400);
  });
});
