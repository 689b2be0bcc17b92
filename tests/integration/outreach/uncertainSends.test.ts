// A campaign SMS the vendor took but did not answer in time: the send is abandoned at the channel timeout
// and retried, and the retry asks Alibaba Cloud (QuerySendDetails, by OutId) before sending again, so
// nobody gets the offer twice. The vendor double records the sends whose answers it holds back.
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../apps/server/src/testing.ts';
import { type FakeAliyunSms, startFakeAliyunSms } from '../../support/fakeProviders/aliyunSms.ts';

const CUSTOMERS = 12;
const phoneOf = (i: number) => `1370000${String(1000 + i)}`;

describe.each(testBackends)('campaign sends the vendor took without answering on %s', (backend: Backend) => {
  let t: TestApp;
  let fake: FakeAliyunSms;
  let owner: TestSession;
  let workspaceId: string;
  let inboxId: string;
  let offset = 0;

  const api = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() as Record<string, { id: string }>, raw: res.body };
  };
  const drain = async () => {
    for (let round = 0; round < 100; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
    throw new Error('jobs kept coming');
  };
  const store = () => t.app.zhike.db.forWorkspace(workspaceId);

  beforeAll(async () => {
    fake = await startFakeAliyunSms();
    t = await createTestApp(backend, {
      startWorker: false,
      clock: { now: () => new Date(Date.now() + offset) },
      env: { ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1', ZHIKE_CHANNEL_TIMEOUT_SECONDS: '1' },
    });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const created = await api('POST', '/api/v1/inboxes', {
      name: 'Aliyun SMS',
      adapter: 'aliyun-sms',
      config: {
        accessKeyId: fake.accessKeyId,
        accessKeySecret: fake.accessKeySecret,
        signName: fake.signName,
        templateCode: fake.templateCode,
        templateVariable: 'content',
        callbackToken: 'aliyun_callback_token_uncertain_1',
        endpoint: fake.endpoint,
      },
    });
    expect(created.status, created.raw).toBe(201);
    inboxId = (created.body as unknown as { id: string }).id;
    const at = new Date().toISOString();
    for (let i = 0; i < CUSTOMERS; i++) {
      const id = t.app.zhike.newId();
      await store().customers.create({
        id,
        name: `回访顾客${i}`,
        email: null,
        phone: null,
        identity: { kind: 'phone', value: `+86${phoneOf(i)}`, verified: true, source: 'sms' },
        createdAt: at,
      });
      await store().privacy.recordConsent({
        id: t.app.zhike.newId(),
        customerId: id,
        purpose: 'marketing_sms',
        source: 'import',
        recordedBy: 'import',
        status: 'granted',
        at,
      });
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('looks the unanswered sends up at the vendor and sends each customer the offer once', async () => {
    const segment = await api('POST', '/api/v1/outreach-segments', {
      name: '回访顾客',
      rule: {
        noOrderForDays: null,
        includeNeverOrdered: true,
        noContactForDays: null,
        rfmMin: null,
        rfmMax: null,
        tags: [],
        tiers: [],
      },
    });
    expect(segment.status, segment.raw).toBe(201);
    const campaign = await api('POST', '/api/v1/outreach-campaigns', {
      name: '老客回馈',
      segmentId: segment.body.segment?.id,
      channel: 'sms',
      inboxId,
      variants: [{ key: 'A', weight: 100, subject: null, text: '{name}您好，送您优惠券{coupon}' }],
      holdoutPercent: 0,
      couponMode: 'generated',
      couponPrefix: 'OLD',
      timeZone: 'Asia/Shanghai',
      quietHours: null,
      capCount: 1,
      capDays: 7,
      attributionDays: 14,
    });
    expect(campaign.status, campaign.raw).toBe(201);
    const campaignId = campaign.body.campaign?.id ?? '';

    // From the fifth send on, the vendor takes each message but its answer never comes back in time.
    void fake.holdAnswersFrom(5);
    expect((await api('POST', `/api/v1/outreach-campaigns/${campaignId}/start`)).status).toBe(200);
    await drain();
    expect(fake.sent).toHaveLength(CUSTOMERS);
    const uncertain = (await store().outreach.recipients.all(campaignId)).filter((r) => r.status !== 'sent');
    expect(uncertain).toHaveLength(CUSTOMERS - 4);
    expect(uncertain.every((r) => r.status === 'pending' && r.error)).toBe(true);
    fake.releaseHeld();

    // The retry, after the worker's backoff: every uncertain one is found at the vendor, none sent again.
    offset += 60_000;
    await drain();
    expect(fake.sent).toHaveLength(CUSTOMERS);
    expect(new Set(fake.sent.map((s) => s.phoneNumbers)).size).toBe(CUSTOMERS);
    expect(fake.queries.length).toBeGreaterThanOrEqual(CUSTOMERS - 4);
    const after = await store().outreach.recipients.all(campaignId);
    expect(after.map((r) => r.status)).toEqual(Array(CUSTOMERS).fill('sent'));
    const found = after.filter((r) => r.providerMessageId?.startsWith('out:'));
    expect(found).toHaveLength(CUSTOMERS - 4);
    expect(after.every((r) => r.attempts === (r.providerMessageId?.startsWith('out:') ? 2 : 1))).toBe(true);
    expect((await store().outreach.get(campaignId))?.status).toBe('completed');
  }, 120_000);
});
