// Re-engagement at scale through the real app: 10,000 customers, a campaign by SMS through the Alibaba
// Cloud adapter to the local dysmsapi (Signature V1 checked on every call). Customers without marketing
// consent, withdrawn ones, one who replied "TD" after the recipients were drawn and ones over the
// frequency cap are skipped; nothing goes out in quiet hours; then the rest, with the rate printed.
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { smsSegments } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../apps/server/src/testing.ts';
import { type FakeAliyunSms, startFakeAliyunSms } from '../../support/fakeProviders/aliyunSms.ts';

// The acceptance run uses OUTREACH_TEST_CUSTOMERS=10000; the default keeps the suite's time bounded.
const CUSTOMERS = Number(process.env.OUTREACH_TEST_CUSTOMERS ?? 500);
const PUBLIC_URL = 'https://zhike.outreach.test';
const TOKEN = 'aliyun_callback_token_outreach_01';
const phoneOf = (i: number) => `139${String(10_000_000 + i).slice(-8)}`;
const TZ = 'Asia/Shanghai';

/** "HH:MM" in Shanghai, `minutes` from `at`. */
const hhmm = (at: Date, minutes: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at.getTime() + minutes * 60_000));

describe.each(testBackends)('re-engagement campaign to a segment of customers on %s', (backend: Backend) => {
  let t: TestApp;
  let fake: FakeAliyunSms;
  let owner: TestSession;
  let workspaceId: string;
  let inboxId: string;
  let hookPath: string;
  let offset = 0;
  let segmentId = '';
  const ids: string[] = [];

  const api = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
    return {
      status: res.statusCode,
      body: res.json() as Record<string, unknown> & { id: string },
      raw: res.body,
    };
  };
  const drain = async () => {
    for (let round = 0; round < 500; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
    throw new Error('jobs kept coming');
  };
  const store = () => t.app.zhike.db.forWorkspace(workspaceId);

  beforeAll(async () => {
    fake = await startFakeAliyunSms();
    t = await createTestApp(backend, {
      startWorker: false,
      clock: { now: () => new Date(Date.now() + offset) },
      env: { ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1', ZHIKE_PUBLIC_URL: PUBLIC_URL },
    });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: 'Aliyun SMS',
        adapter: 'aliyun-sms',
        config: {
          accessKeyId: fake.accessKeyId,
          accessKeySecret: fake.accessKeySecret,
          signName: fake.signName,
          templateCode: fake.templateCode,
          templateVariable: 'content',
          callbackToken: TOKEN,
          endpoint: fake.endpoint,
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const inbox = created.json() as { id: string; hookUrl: string };
    inboxId = inbox.id;
    hookPath = new URL(inbox.hookUrl).pathname;

    // 10,000 customers with a phone, tagged; 90 % consented to marketing SMS, of whom every 30th later
    // withdrew; the other 10 % were never asked.
    const s = store();
    const at = new Date().toISOString();
    // Customer keys are made outside transactions (on SQLite a key query inside one would wait for the
    // connection the transaction holds), so customers are created one by one, 50 at a time.
    for (let start = 0; start < CUSTOMERS; start += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, CUSTOMERS - start) }, async (_, k) => {
          const i = start + k;
          const tx = s;
          const id = t.app.zhike.newId();
          ids[i] = id;
          await tx.customers.create({
            id,
            name: `顾客${i}`,
            email: null,
            phone: null,
            identity: { kind: 'phone', value: `+86${phoneOf(i)}`, verified: true, source: 'sms' },
            createdAt: at,
          });
          if (i % 10 === 9) return;
          const consent = {
            customerId: id,
            purpose: 'marketing_sms' as const,
            source: 'import',
            recordedBy: 'import',
          };
          await tx.privacy.recordConsent({ id: t.app.zhike.newId(), ...consent, status: 'granted', at });
          if (i % 30 === 0)
            await tx.privacy.recordConsent({
              id: t.app.zhike.newId(),
              ...consent,
              status: 'withdrawn',
              at: new Date(Date.parse(at) + 1000).toISOString(),
            });
        }),
      );
  }, 600_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const campaignFor = async (
    segmentId: string,
    name: string,
    quietHours: { start: string; end: string } | null,
  ) => {
    const res = await api('POST', '/api/v1/outreach-campaigns', {
      name,
      segmentId,
      channel: 'sms',
      inboxId,
      variants: [
        { key: 'A', weight: 50, subject: null, text: '{name}您好，好久不见！送您优惠券{coupon}，7天内有效' },
        { key: 'B', weight: 50, subject: null, text: '{name}，回来看看吧：券码{coupon}立减20元' },
      ],
      holdoutPercent: 10,
      couponMode: 'generated',
      couponPrefix: 'BACK',
      timeZone: TZ,
      quietHours,
      capCount: 1,
      capDays: 7,
      attributionDays: 14,
    });
    expect(res.status, res.raw).toBe(201);
    return (res.body.campaign as { id: string }).id;
  };

  it('skips no consent, unsubscribed and capped customers, waits out quiet hours, and prints the send rate', async () => {
    const segment = await api('POST', '/api/v1/outreach-segments', {
      name: '全部顾客',
      rule: {
        noOrderForDays: null,
        includeNeverOrdered: false,
        noContactForDays: null,
        rfmMin: null,
        rfmMax: null,
        tags: [],
        tiers: [],
      },
    });
    expect(segment.status, segment.raw).toBe(201);
    segmentId = (segment.body.segment as { id: string }).id;

    // A first, small campaign: its 300 recipients hit the cap (1 message in 7 days) for the big one.
    const first = await campaignFor((segment.body.segment as { id: string }).id, 'first', null);
    expect((await api('POST', `/api/v1/outreach-campaigns/${first}/start`)).status).toBe(200);
    // Only the plan: then send just the first chunk, so about 180 customers are capped for the next one.
    await t.app.zhike.worker.runDue();
    const firstChunk = await store().outreach.recipients.claimChunk(
      first,
      1,
      new Date().toISOString(),
      new Date(Date.now() + 60_000).toISOString(),
    );
    for (const r of firstChunk)
      await store().outreach.recipients.finish(r.id, {
        status: 'sent',
        skipReason: null,
        providerMessageId: `earlier-${r.id}`,
        error: null,
        at: new Date().toISOString(),
      });
    expect((await api('POST', `/api/v1/outreach-campaigns/${first}/cancel`)).status).toBe(200);
    await drain();
    const capped = new Set(firstChunk.map((r) => r.customerId));
    expect(capped.size).toBe(200);

    // The big one, started inside its quiet hours (they end five minutes from now; the vendor double accepts timestamps up to 15 minutes off).
    const now = new Date();
    const campaignId = await campaignFor((segment.body.segment as { id: string }).id, '沉睡唤醒', {
      start: hhmm(now, -60),
      end: hhmm(now, 5),
    });
    expect((await api('POST', `/api/v1/outreach-campaigns/${campaignId}/start`)).status).toBe(200);
    await drain();
    expect(fake.sent).toHaveLength(0);
    const counts = await store().outreach.recipients.counts(campaignId);
    expect(counts.pending + counts.holdout).toBe(CUSTOMERS);
    // The 10 % hold-out is a hash draw per customer: within five standard deviations of the binomial's
    // mean (±1.5 sd, the old 8–12 % band at 500 customers, failed one clean run in seven).
    const spread = 5 * Math.sqrt(CUSTOMERS * 0.1 * 0.9);
    expect(counts.holdout).toBeGreaterThan(CUSTOMERS * 0.1 - spread);
    expect(counts.holdout).toBeLessThan(CUSTOMERS * 0.1 + spread);

    // A drawn customer with consent replies "回T退订" to an earlier SMS: the reply withdraws consent.
    const recipients = await store().outreach.recipients.all(campaignId);
    const index = new Map(ids.map((id, i) => [id, i]));
    const quitter = recipients.find(
      (r) =>
        r.status === 'pending' &&
        (index.get(r.customerId) ?? 0) % 30 !== 0 &&
        (index.get(r.customerId) ?? 0) % 10 !== 9 &&
        !capped.has(r.customerId),
    );
    expect(quitter).toBeDefined();
    const quitterPhone = phoneOf(index.get(quitter?.customerId ?? '') ?? 0);
    const reply = fake.smsUp(`${PUBLIC_URL}${hookPath}?token=${TOKEN}`, [
      { phone: quitterPhone, content: '回T退订', sequenceId: 424242 },
    ]);
    const hook = await t.app.inject({
      method: 'POST',
      url: `${hookPath}?token=${TOKEN}`,
      headers: reply.headers,
      payload: reply.body,
    });
    expect(hook.statusCode, hook.body).toBeLessThan(300);
    // Only the opt-out job: the send chunks are still in their quiet hours.
    await drain();
    const consents = await store().privacy.consents(quitter?.customerId ?? '');
    expect(consents.at(-1)).toMatchObject({
      purpose: 'marketing_sms',
      status: 'withdrawn',
      source: 'sms_reply',
    });
    const sentBefore = fake.sent.length; // the bot may have answered the reply

    // Quiet hours end: everything goes out.
    offset = 6 * 60_000;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await drain();
    // A send the provider did not answer in time is retried with the worker's backoff: step past it.
    for (let round = 0; round < 10; round++) {
      const left = await store().outreach.recipients.counts(campaignId);
      if (left.pending + left.sending === 0) break;
      offset += 20_000;
      await drain();
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // This process does all the work (our server and the vendor double); the machine may be shared.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const outIds = new Map(
      recipients.map((r) => [createHash('sha256').update(r.id).digest('hex').slice(0, 32), r.id]),
    );
    const campaignSends = fake.sent.slice(sentBefore).filter((s) => outIds.has(s.outId ?? ''));
    const rate = campaignSends.length / seconds;
    const cpuRate = campaignSends.length / cpuSeconds;
    console.log(
      `[outreach ${backend}] ${campaignSends.length} SMS in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} msg/s ` +
        `(${cpuSeconds.toFixed(2)} CPU s in this process = ${cpuRate.toFixed(0)} msg per CPU second; ` +
        `load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores)`,
    );
    const after = await store().outreach.recipients.all(campaignId);
    const byId = new Map(after.map((r) => [r.id, r]));
    const sentTo = new Set(campaignSends.map((s) => s.phoneNumbers));
    expect(sentTo.size).toBe(campaignSends.length); // nobody twice
    const failed = after.filter((r) => r.status === 'failed' || r.error);
    if (failed.length > 0)
      console.log(
        '[outreach] errors',
        failed.slice(0, 5).map((r) => r.error),
      );
    for (const r of after) {
      const i = index.get(r.customerId) ?? -1;
      const phone = phoneOf(i);
      if (r.variant === null) {
        expect(r.status).toBe('holdout');
        expect(sentTo.has(phone)).toBe(false);
      } else if (i % 10 === 9 || i % 30 === 0 || r.customerId === quitter?.customerId) {
        expect(r).toMatchObject({ status: 'skipped', skipReason: 'no_consent' });
        expect(sentTo.has(phone)).toBe(false);
      } else if (capped.has(r.customerId)) {
        expect(r).toMatchObject({ status: 'skipped', skipReason: 'capped' });
        expect(sentTo.has(phone)).toBe(false);
      } else {
        expect(r.status, r.error ?? '').toBe('sent');
        expect(sentTo.has(phone)).toBe(true);
      }
    }
    const one = campaignSends[0];
    const mine = one && byId.get(outIds.get(one.outId ?? '') ?? '');
    expect(one?.templateParam.content).toContain(mine?.couponCode ?? 'missing');
    expect(one?.templateParam.content).toContain('回T退订');
    expect(campaignSends.length).toBeGreaterThan(CUSTOMERS * 0.6 - 200);
    // ≥ 200 msg/s of our own work: measured per CPU second of this process (server and vendor double
    // together), so a busy shared machine does not decide it; the wall-clock rate is printed beside it.
    // The acceptance run (OUTREACH_TEST_CUSTOMERS=10000, ~7,700 messages) measured 319 per CPU second on
    // SQLite and 292 on PostgreSQL with another test run on the machine, and is held to 200. The suite's
    // default run sends ~250 messages, too few to outweigh the chunks' fixed costs: there the floor only
    // catches a regression past 20 ms of CPU a message.
    expect(cpuRate).toBeGreaterThanOrEqual(CUSTOMERS >= 5000 ? 200 : 50);
    expect((await store().outreach.get(campaignId))?.status).toBe('completed');
  }, 600_000);

  it('meters every segment the provider took, and pauses a campaign at the budget’s hard cap', async () => {
    const day = new Date(Date.now() + offset).toISOString().slice(0, 10);
    const metered = (await store().costs.list(day, day)).find((r) => r.unit === 'sms_segment');
    // Campaign offers and the bot's SMS replies alike, segment by segment as the carrier bills them.
    const billed = fake.sent.reduce((n, s) => n + smsSegments(s.templateParam.content ?? ''), 0);
    expect(billed).toBeGreaterThan(0);
    expect(metered?.quantity).toBe(billed);

    const budget = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/budget',
      headers: owner.headers,
      payload: { monthlyYuan: 1, hardCap: true },
    });
    expect(budget.statusCode, budget.body).toBe(200);
    const sentBefore = fake.sent.length;
    const campaignId = await campaignFor(segmentId, 'over budget', null);
    expect((await api('POST', `/api/v1/outreach-campaigns/${campaignId}/start`)).status).toBe(200);
    await drain();
    expect((await store().outreach.get(campaignId))?.status).toBe('paused');
    expect(fake.sent.length).toBe(sentBefore);
    const audit = await api('GET', '/api/v1/audit?action=campaign.paused_by_budget');
    expect(audit.body.entries).toEqual([
      expect.objectContaining({ target: { type: 'campaign', id: campaignId } }),
    ]);
    // The owner raises the budget and resumes: the campaign sends again.
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/budget',
      headers: owner.headers,
      payload: { monthlyYuan: 100_000, hardCap: true },
    });
    expect((await api('POST', `/api/v1/outreach-campaigns/${campaignId}/resume`)).status).toBe(200);
    await drain();
    expect((await store().outreach.get(campaignId))?.status).not.toBe('paused');
  }, 300_000);
});
