// Quality inspection end to end on one app: a conversation resolved by an agent is scored by the
// durable job (once, however often the event is heard), a reopened and re-resolved one is scored again,
// a finished call is scored from its transcript timing and holds; results, evidence, scorecards, the
// review queue and appeals through the API with agents confined to their own results; the ruleset's
// validation; and the NLU-backed folding of traditional, full-width and spaced-out forbidden words.
import type { DomainEvent } from '@zhike/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextAnalysis } from './quality/textAnalysis.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

interface ResultView {
  id: string;
  subject: string;
  subjectId: string;
  agentId: string | null;
  score: number;
  effectiveScore: number;
  violations: { ruleId: string; deducted: number }[];
}

describe('quality inspection', { timeout: 120_000 }, () => {
  let t: TestApp;
  let owner: TestSession;
  let agent: { id: string; session: TestSession };
  let other: { id: string; session: TestSession };
  let key = '';
  let conversationId = '';

  const inject = async (
    session: TestSession | null,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: unknown,
  ) => {
    const res = await t.app.inject({
      method,
      url,
      ...(session ? { headers: session.headers } : {}),
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> & { [k: string]: unknown } };
  };
  const say = async (text: string) =>
    expect(
      (await inject(agent.session, 'POST', `/api/v1/conversations/${conversationId}/messages`, { text }))
        .status,
    ).toBe(201);
  const setStatus = async (status: string) =>
    expect(
      (await inject(agent.session, 'POST', `/api/v1/conversations/${conversationId}/status`, { status }))
        .status,
    ).toBe(200);
  const results = async (session: TestSession, query = '') =>
    (await inject(session, 'GET', `/api/v1/quality/results${query}`)).body.results as ResultView[];

  beforeAll(async () => {
    t = await createTestApp('sqlite', { qualityDraw: () => 0.99 });
    owner = await t.login();
    key = await t.apiKey();
    agent = await t.signInNewUser({ email: 'qa-agent@test.local', name: '小王' });
    other = await t.signInNewUser({ email: 'qa-other@test.local', name: '小李' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('scores a resolved conversation once, with its evidence, and again after it is reopened', async () => {
    const inbound = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: 'qa-1' }, text: '我要退款', messageId: 'qa-1-1' },
    });
    expect(inbound.statusCode, inbound.body).toBe(200);
    conversationId = (inbound.json() as { conversationId: string }).conversationId;
    expect(
      (
        await inject(agent.session, 'POST', `/api/v1/conversations/${conversationId}/assign`, {
          assigneeId: agent.id,
        })
      ).status,
    ).toBe(200);
    await say('您好，很高兴为您服务');
    await say('这个不 歸我管');
    await setStatus('resolved');

    const [first] = await eventually(async () => {
      const list = await results(owner);
      return list.length > 0 && list;
    });
    expect(first).toMatchObject({ subject: 'conversation', subjectId: conversationId, agentId: agent.id });
    const broken = first?.violations.map((v) => v.ruleId) ?? [];
    expect(broken).toEqual(expect.arrayContaining(['forbidden-words', 'refund-time-limit', 'closing']));
    expect(first?.score).toBe(100 - (first?.violations ?? []).reduce((s, v) => s + v.deducted, 0));

    const detail = await inject(owner, 'GET', `/api/v1/quality/results/${first?.id}`);
    expect(detail.status).toBe(200);
    const hits = detail.body.hits as { ruleId: string; excerpt: string; match: [number, number] | null }[];
    expect(hits.find((h) => h.ruleId === 'forbidden-words')).toMatchObject({
      excerpt: '这个不 歸我管',
      match: [2, 7],
    });
    expect(hits.find((h) => h.ruleId === 'refund-time-limit')?.excerpt).toBe('我要退款');
    expect((detail.body.lines as { text: string }[]).map((l) => l.text)).toContain('这个不 歸我管');
    expect((detail.body.ruleNames as Record<string, string>)['forbidden-words']).toBe('服务禁语');

    // Reopened, the agent gives the refund time limit and closes properly: scored again, same result.
    await setStatus('open');
    await say('已为您提交，款项3个工作日内原路退回');
    await say('还有什么可以帮您？祝您生活愉快');
    await setStatus('resolved');
    const again = await eventually(async () => {
      const [r] = await results(owner);
      return r && !r.violations.some((v) => v.ruleId === 'refund-time-limit') && r;
    });
    expect(again.id).toBe(first?.id);
    expect(again.violations.map((v) => v.ruleId)).toEqual(['forbidden-words']);
    expect(again.score).toBe(70);
  });

  it('makes one job of an end heard twice (several processes) and none of an unrelated event', async () => {
    const ws = await t.demoWorkspaceId();
    const event: DomainEvent = {
      name: 'conversation.resolved',
      workspaceId: ws,
      occurredAt: '2026-11-26T00:00:00.000Z',
      conversationId,
    };
    await t.app.zhike.bus.publish([event]);
    await t.app.zhike.bus.publish([event]);
    // Two resolutions above, and this one heard twice; all run before the appeal below (a re-score
    // would drop its adjustment).
    const jobs = await eventually(async () => {
      const list = await t.app.zhike.db.forWorkspace(ws).jobs.list({ name: 'quality.inspect', limit: 50 });
      return list.every((j) => j.status === 'done') && list;
    });
    expect(jobs).toHaveLength(3);
  });

  it('scores a finished call from its transcript timing and the holds it recorded', async () => {
    const ws = await t.demoWorkspaceId();
    const store = t.app.zhike.db.forWorkspace(ws);
    const conversation = await store.conversations.get(conversationId);
    const callId = t.app.zhike.newId();
    await store.voice.calls.create({
      id: callId,
      inboxId: conversation?.inboxId as string,
      conversationId,
      customerId: conversation?.customerId as string,
      direction: 'inbound',
      transport: 'webrtc',
      fromUri: 'visitor',
      toUri: 'shop',
      state: 'agent',
      startedAt: '2026-11-26T01:00:00.000Z',
      answeredAt: '2026-11-26T01:00:00.000Z',
    });
    await store.voice.transcript.add([
      {
        callId,
        seq: 0,
        speaker: 'agent',
        startMs: 0,
        endMs: 2000,
        text: '您好，很高兴为您服务',
        language: 'zh-CN',
      },
      {
        callId,
        seq: 1,
        speaker: 'caller',
        startMs: 3000,
        endMs: 9000,
        text: '我的快递一直没到',
        language: 'zh-CN',
      },
      { callId, seq: 2, speaker: 'agent', startMs: 5000, endMs: 7000, text: '您稍等', language: 'zh-CN' },
      {
        callId,
        seq: 3,
        speaker: 'caller',
        startMs: 10_000,
        endMs: 14_000,
        text: '到底什么时候到',
        language: 'zh-CN',
      },
      {
        callId,
        seq: 4,
        speaker: 'agent',
        startMs: 11_000,
        endMs: 12_000,
        text: '我查一下',
        language: 'zh-CN',
      },
      {
        callId,
        seq: 5,
        speaker: 'agent',
        startMs: 200_000,
        endMs: 203_000,
        text: '还有什么可以帮您',
        language: 'zh-CN',
      },
      {
        callId,
        seq: 6,
        speaker: 'caller',
        startMs: 204_000,
        endMs: 205_000,
        text: '好的谢谢',
        language: 'zh-CN',
      },
    ]);
    await store.voice.calls.update(callId, {
      state: 'ended',
      endedAt: '2026-11-26T01:03:30.000Z',
      endReason: 'agent-hangup',
      agentId: agent.id,
      trace: [
        { atMs: 20_000, stage: 'handoff', name: 'hold.started' },
        { atMs: 190_000, stage: 'handoff', name: 'hold.ended' },
      ],
    });
    await t.app.zhike.bus.publish([
      {
        name: 'call.ended',
        workspaceId: ws,
        occurredAt: '2026-11-26T01:03:30.000Z',
        callId,
        conversationId,
        agentId: agent.id,
      },
    ]);
    const call = await eventually(async () => (await results(owner, '?subject=call'))[0]);
    expect(call).toMatchObject({ subjectId: callId, agentId: agent.id });
    // Two interruptions (2,000 and 1,000 ms over the caller) exceed the one allowed; a 170 s hold; the
    // 186 s gap is mostly on hold (16 s left, over the 15 s silence limit).
    expect(call.violations.map((v) => v.ruleId).sort()).toEqual(['hold', 'interruption', 'silence']);
    expect(call.score).toBe(85);
  });

  it('keeps agents to their own results and lets supervisors see everyone', async () => {
    const mine = await results(agent.session);
    expect(mine.length).toBe(2);
    expect(await results(other.session)).toEqual([]);
    expect((await results(other.session, `?agentId=${agent.id}`)).length).toBe(0);
    const id = mine[0]?.id as string;
    expect((await inject(other.session, 'GET', `/api/v1/quality/results/${id}`)).status).toBe(404);
    expect((await inject(agent.session, 'GET', `/api/v1/quality/results/${id}`)).status).toBe(200);
    expect((await inject(agent.session, 'GET', '/api/v1/quality/summary')).status).toBe(403);
    expect((await inject(agent.session, 'GET', '/api/v1/quality/reviews')).status).toBe(403);
    const own = await inject(agent.session, 'GET', '/api/v1/quality/scorecards');
    expect(own.body).toMatchObject({ scope: 'self' });
    expect(
      (own.body.agents as { agentId: string; count: number }[]).map((a) => [a.agentId, a.count]),
    ).toEqual([[agent.id, 2]]);
    const team = await inject(owner, 'GET', '/api/v1/quality/scorecards');
    const cards = team.body.agents as {
      agentId: string;
      count: number;
      average: number | null;
      name: string;
    }[];
    expect(cards.find((c) => c.agentId === agent.id)).toMatchObject({
      count: 2,
      average: 77.5,
      name: '小王',
    });
    expect(cards.find((c) => c.agentId === other.id)).toMatchObject({ count: 0, average: null });
    const summary = await inject(owner, 'GET', '/api/v1/quality/summary');
    expect(summary.body).toMatchObject({ count: 2, conversations: 1, calls: 1, average: 77.5 });
  });

  it('runs an appeal: the agent files it once, a supervisor accepts it and the score that counts changes', async () => {
    const [conversation] = await results(agent.session, '?subject=conversation');
    const url = `/api/v1/quality/results/${conversation?.id}/appeals`;
    expect((await inject(other.session, 'POST', url, { reason: '不是我' })).status).toBe(404);
    expect((await inject(agent.session, 'POST', url, { reason: '' })).status).toBe(400);
    const filed = await inject(agent.session, 'POST', url, { reason: '客户先说的这句话，我是在复述' });
    expect(filed.status).toBe(201);
    expect((await inject(agent.session, 'POST', url, { reason: '再申诉' })).status).toBe(409);
    const appealId = filed.body.id as string;
    const decide = `/api/v1/quality/appeals/${appealId}/decision`;
    expect((await inject(agent.session, 'POST', decide, { decision: 'accepted', score: 100 })).status).toBe(
      403,
    );
    expect((await inject(owner, 'POST', decide, { decision: 'accepted' })).status).toBe(400);
    const decided = await inject(owner, 'POST', decide, { decision: 'accepted', score: 95, note: '属实' });
    expect(decided.body).toMatchObject({ status: 'accepted', adjustedScore: 95, note: '属实' });
    expect((await inject(owner, 'POST', decide, { decision: 'rejected' })).status).toBe(409);
    const [after] = await results(agent.session, '?subject=conversation');
    expect(after).toMatchObject({ score: 70, adjustedScore: 95, effectiveScore: 95 });
    const appeals = await inject(agent.session, 'GET', '/api/v1/quality/appeals');
    expect((appeals.body.appeals as { status: string }[]).map((a) => a.status)).toEqual(['accepted']);
    expect((await inject(other.session, 'GET', '/api/v1/quality/appeals')).body.appeals).toEqual([]);
    const audit = await inject(owner, 'GET', '/api/v1/audit?limit=20');
    const actions = (audit.body.entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['quality.appealed', 'quality.appeal_decided']));
  });

  it('queues low scores for review and records a review once', async () => {
    const queue = await inject(owner, 'GET', '/api/v1/quality/reviews');
    const items = queue.body.reviews as { review: { id: string; reason: string }; result: ResultView }[];
    // The first scoring (50) was under 60; the call (85) was not drawn (the draw is 0.99 here).
    expect(items.map((i) => [i.review.reason, i.result.subject])).toEqual([['low_score', 'conversation']]);
    const url = `/api/v1/quality/reviews/${items[0]?.review.id}`;
    expect((await inject(owner, 'POST', url, { score: 101 })).status).toBe(400);
    const done = await inject(owner, 'POST', url, { score: 80, comment: '态度需改进' });
    expect(done.body).toMatchObject({ status: 'done', reviewerScore: 80, comment: '态度需改进' });
    expect((await inject(owner, 'POST', url, { score: 80 })).status).toBe(409);
    expect((await inject(owner, 'GET', '/api/v1/quality/reviews')).body.reviews).toEqual([]);
  });

  it('validates the ruleset and saves it as a new version', async () => {
    const current = await inject(agent.session, 'GET', '/api/v1/quality/ruleset');
    expect(current.status).toBe(200);
    const ruleset = current.body as { version: number; rules: { id: string }[]; sampling: unknown };
    const put = (session: TestSession, payload: unknown) =>
      inject(session, 'PUT', '/api/v1/quality/ruleset', payload);
    expect((await put(agent.session, { rules: ruleset.rules, sampling: ruleset.sampling })).status).toBe(403);
    expect(
      (await put(owner, { rules: [{ id: 'x', kind: 'nonsense' }], sampling: ruleset.sampling })).status,
    ).toBe(400);
    expect((await put(owner, { rules: 'all', sampling: ruleset.sampling })).status).toBe(400);
    const twice = await put(owner, {
      rules: [ruleset.rules[0], ruleset.rules[0]],
      sampling: ruleset.sampling,
    });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(twice.body)).toContain('used twice');
    const saved = await put(owner, {
      rules: ruleset.rules.slice(0, 3),
      sampling: { randomPercent: 10, reviewBelow: 70 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      version: ruleset.version + 1,
      sampling: { randomPercent: 10, reviewBelow: 70 },
    });
  });
});

describe('the NLU-backed text analysis', () => {
  const analysis = createTextAnalysis();
  it('folds traditional, full-width and upper-case characters and drops spaces and punctuation', () => {
    expect([...'不歸我管，ＯＫ 你自己看！'].map(analysis.foldChar).join('')).toBe('不归我管ok你自己看');
  });
  it('reads an angry customer as upset and a thankful one as calm', () => {
    const angry = analysis.sentiment('你们到底怎么回事，气死我了，垃圾服务！');
    const calm = analysis.sentiment('好的，谢谢你，问题解决了');
    expect(Math.max(angry.anger, -angry.score)).toBeGreaterThan(0.5);
    expect(Math.max(calm.anger, -calm.score)).toBeLessThan(0.2);
  });
  it('reads a plain refund request as strongly negative without anger (why negativity counts half)', () => {
    // The README cites this reading (−0.87 when written): the polarity model learned from reviews.
    const request = analysis.sentiment('我要退款');
    expect(request.score).toBeLessThan(-0.8);
    expect(request.anger).toBe(0);
  });
});
