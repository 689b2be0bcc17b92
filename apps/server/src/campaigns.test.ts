// Outbound campaigns end to end on the server, with a scripted voice line in place of SIP: a survey
// retries an unanswered number after its delay, never dials a do-not-call number, stores each score,
// rates the conversation it asks about and opens a call-back for a low score; a marketing campaign
// reaches only the customer who consented; quiet hours hold every call; bad input is refused clearly.
import type { DialOutcome } from '@zhike/core';
import type { BrainReply, CallerInput, CallStart } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignLine } from './campaigns/dialler.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

type Script = { outcome: DialOutcome; inputs?: CallerInput[] };

class ScriptedLine implements CampaignLine {
  readonly dialled: string[] = [];
  readonly heard: string[][] = [];
  constructor(private readonly scripts: Map<string, Script[]>) {}
  async dial(request: Parameters<CampaignLine['dial']>[0]) {
    this.dialled.push(request.to);
    const script = this.scripts.get(request.to)?.shift() ?? { outcome: 'no_answer' as const };
    if (script.outcome !== 'answered') return { outcome: script.outcome, callId: null };
    const start: CallStart = {
      callId: `call-${this.dialled.length}`,
      direction: 'outbound',
      transport: 'sip',
      from: { uri: 'sip:shop@127.0.0.1' },
      to: { uri: `sip:${request.to}@127.0.0.1`, phone: request.to },
      startedAt: new Date(),
    };
    const said: string[] = [];
    let reply: BrainReply = await request.brain.start(start);
    said.push(...reply.say);
    for (const input of script.inputs ?? []) {
      if (reply.next === 'hangup') break;
      reply = await request.brain.turn(start.callId, input);
      said.push(...reply.say);
    }
    await request.brain.end(start.callId, 'bot-hangup');
    this.heard.push(said);
    return { outcome: 'answered' as const, callId: null };
  }
}

describe('outbound campaigns', () => {
  let t: TestApp;
  let owner: TestSession;
  let workspaceId: string;
  let inboxId: string;
  let now = new Date('2026-11-26T03:00:00.000Z');
  const scripts = new Map<string, Script[]>();
  const line = new ScriptedLine(scripts);

  const runJobs = async () => {
    await t.app.zhike.worker.runDue();
  };

  beforeAll(async () => {
    t = await createTestApp('sqlite', { startWorker: false, campaignLine: line, clock: { now: () => now } });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: '回访专线',
        adapter: 'sip-voice',
        config: { mode: 'trunk', allowedSources: '127.0.0.1', numbers: '4008001234', password: 'unused' },
      },
    });
    expect(created.statusCode).toBe(201);
    inboxId = created.json().id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const campaignBody = (overrides: Record<string, unknown>) => ({
    name: '售后回访',
    kind: 'survey',
    purpose: 'service',
    inboxId,
    script: '您好{{customer.name}}，这里是演示小店，想请您为上次的服务打个分。',
    language: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    quietHours: { start: '21:00', end: '09:00' },
    callsPerMinute: 10,
    maxConcurrent: 2,
    maxAttempts: 2,
    retryDelayMinutes: 1,
    customers: [],
    phones: [],
    ...overrides,
  });

  const post = (url: string, payload?: unknown) =>
    t.app.inject({ method: 'POST', url, headers: owner.headers, ...(payload ? { payload } : {}) });

  const customerWithPhone = async (phone: string, messageId: string) => {
    const key = await t.apiKey();
    const inbound = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId: `ext-${messageId}` }, text: '你好', messageId },
    });
    expect(inbound.statusCode).toBe(200);
    const conversationId = inbound.json().conversationId as string;
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const conversation = await store.conversations.get(conversationId);
    await store.customers.updateProfile(conversation!.customerId, { phone, name: '王女士' });
    return { customerId: conversation!.customerId, conversationId };
  };

  it('runs a survey: retries, skips do-not-call numbers, stores scores and follows up a low one', async () => {
    const rated = await customerWithPhone('13800000002', 'survey-1');
    scripts.set('+8613800000001', [
      { outcome: 'no_answer' },
      { outcome: 'answered', inputs: [{ kind: 'speech', text: '五分' }] },
    ]);
    scripts.set('+8613800000002', [
      {
        outcome: 'answered',
        inputs: [
          { kind: 'digits', digits: '9' },
          { kind: 'digits', digits: '2' },
        ],
      },
    ]);
    const dnc = await post('/api/v1/voice/do-not-call', {
      phone: '+86 138 0000 0003',
      reason: '客户要求不再来电',
    });
    expect(dnc.statusCode).toBe(201);
    expect(dnc.json().entry.phone).not.toContain('13800000003');

    const created = await post(
      '/api/v1/campaigns',
      campaignBody({
        customers: [{ customerId: rated.customerId, conversationId: rated.conversationId }],
        phones: ['138-0000-0001', '13800000003', 'not a number', '13800000001'],
      }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json().invalidPhones).toEqual(['not a number']);
    const id = created.json().campaign.id as string;
    expect(created.json().campaign).toMatchObject({ status: 'draft', progress: { total: 3, pending: 3 } });

    expect((await post(`/api/v1/campaigns/${id}/start`)).statusCode).toBe(200);
    expect((await post(`/api/v1/campaigns/${id}/start`)).statusCode).toBe(409);
    await runJobs();
    await eventually(async () => {
      await runJobs();
      const c = (await t.app.inject({ url: `/api/v1/campaigns/${id}`, headers: owner.headers })).json()
        .campaign;
      console.log(JSON.stringify(c.progress), line.dialled);
      return c.progress.dialing === 0 && c.progress.pending === 1 && c;
    });
    // The do-not-call number was never dialled; the customer heard their name in the script.
    expect(line.dialled.sort()).toEqual(['+8613800000001', '+8613800000002']);
    expect(line.heard[0]?.[0]).toContain('王女士');

    // The unanswered number is due again after the retry delay.
    now = new Date(now.getTime() + 61_000);
    const done = await eventually(async () => {
      await runJobs();
      const c = (await t.app.inject({ url: `/api/v1/campaigns/${id}`, headers: owner.headers })).json()
        .campaign;
      return c.status === 'completed' && c;
    });
    expect(done.progress).toMatchObject({ reached: 2, skipped: 1, unreached: 0, averageScore: 3.5 });
    const targets = (
      await t.app.inject({ url: `/api/v1/campaigns/${id}/targets`, headers: owner.headers })
    ).json().targets as {
      score: number | null;
      skipReason: string | null;
      attempts: number;
      customerId: string | null;
    }[];
    expect(targets.map((x) => [x.score, x.skipReason, x.attempts]).sort()).toEqual([
      [null, 'do_not_call', 0],
      [2, null, 1],
      [5, null, 2],
    ]);

    const store = t.app.zhike.db.forWorkspace(workspaceId);
    expect(await store.assist.rating(rated.conversationId)).toMatchObject({ score: 2 });
    const callbacks = await store.callbacks.list({ limit: 10 });
    expect(callbacks.map((c) => c.note)).toContain('售后回访: 2/5');
  });

  it('calls only consenting customers in a marketing campaign, and never in quiet hours', async () => {
    const yes = await customerWithPhone('13900000001', 'mk-1');
    const no = await customerWithPhone('13900000002', 'mk-2');
    const consent = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/customers/${yes.customerId}/consents`,
      headers: owner.headers,
      payload: { purpose: 'marketing_call', status: 'granted' },
    });
    expect(consent.statusCode).toBe(200);
    scripts.set('+8613900000001', [{ outcome: 'answered', inputs: [] }]);
    // 22:00 in Shanghai: quiet.
    now = new Date('2026-11-26T14:00:00.000Z');
    const created = await post(
      '/api/v1/campaigns',
      campaignBody({
        kind: 'notification',
        purpose: 'marketing',
        script: '双十二会员日，全场八折。',
        customers: [{ customerId: yes.customerId }, { customerId: no.customerId }],
        phones: ['13900000003'],
      }),
    );
    const id = created.json().campaign.id as string;
    expect((await post(`/api/v1/campaigns/${id}/start`)).statusCode).toBe(200);
    const before = line.dialled.length;
    await runJobs();
    await runJobs();
    expect(line.dialled.length).toBe(before);

    now = new Date('2026-11-27T01:00:30.000Z');
    const done = await eventually(async () => {
      await runJobs();
      const c = (await t.app.inject({ url: `/api/v1/campaigns/${id}`, headers: owner.headers })).json()
        .campaign;
      return c.status === 'completed' && c;
    });
    expect(done.progress).toMatchObject({ reached: 1, skipped: 2 });
    expect(line.dialled.slice(before)).toEqual(['+8613900000001']);
    const skipped = (
      await t.app.inject({ url: `/api/v1/campaigns/${id}/targets?status=skipped`, headers: owner.headers })
    ).json().targets as { skipReason: string }[];
    expect(skipped.map((s) => s.skipReason)).toEqual(['no_consent', 'no_consent']);
  });

  it('refuses bad campaigns with a clear problem', async () => {
    const noTargets = await post('/api/v1/campaigns', campaignBody({ phones: ['nope'] }));
    expect(noTargets.statusCode).toBe(400);
    expect(noTargets.json().detail).toContain('no callable number');
    const badZone = await post(
      '/api/v1/campaigns',
      campaignBody({ phones: ['13800000009'], timeZone: 'Mars/Base' }),
    );
    expect(badZone.statusCode).toBe(400);
    const notVoice = await post(
      '/api/v1/campaigns',
      campaignBody({
        phones: ['13800000009'],
        inboxId: (await t.app.zhike.db.forWorkspace(workspaceId).inboxes.list()).find(
          (i) => i.channel === 'widget',
        )?.id,
      }),
    );
    expect(notVoice.statusCode).toBe(400);
    expect(notVoice.json().detail).toContain('not a voice line');
    const junk = await post('/api/v1/campaigns', { name: 'x' });
    expect(junk.statusCode).toBe(400);
  });
});
