// A campaign over the real SIP line: the server's user agent dials a Debian baresip through a trunk
// inbox's outbound gateway. The first attempt rings out (ring timeout) and counts as no answer; after the
// retry delay the second is answered, the campaign brain speaks its script (espeak-ng) and takes the
// score baresip keys in (RFC 4733), and the target ends reached with that score, the call stored as an
// outbound call with its recording and outbound minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../apps/server/src/testing.ts';
import { type Baresip, startBaresip } from '../support/voice/baresip.js';
import { createClips } from '../support/voice/clips.js';
import { freePortBlock } from '../support/voice/ports.js';

describe('a campaign call through the real SIP line', () => {
  let t: TestApp;
  let owner: TestSession;
  let callee: Baresip | null = null;
  // Call logic runs in real time; the campaign's calendar starts at a fixed daytime hour in its zone
  // and jumps forward past the retry delay between attempts.
  const base = Date.parse('2026-11-26T03:00:00.000Z') - Date.now();
  let jump = 0;

  beforeAll(async () => {
    const ports = await freePortBlock(20);
    t = await createTestApp('sqlite', {
      startWorker: false,
      clock: { now: () => new Date(Date.now() + base + jump) },
      env: {
        ZHIKE_SIP_PORT: String(ports.sip),
        ZHIKE_SIP_HOST: '127.0.0.1',
        ZHIKE_RTP_PORTS: `${ports.rtpLow}-${ports.rtpHigh}`,
        ZHIKE_SIP_RING_TIMEOUT: '5',
      },
    });
    owner = await t.login();
  }, 60_000);
  afterAll(async () => {
    await callee?.stop();
    await t?.close();
  });

  const post = (url: string, payload?: unknown) =>
    t.app.inject({ method: 'POST', url, headers: owner.headers, ...(payload ? { payload } : {}) });

  /** Runs due jobs until `event` (the nth of its kind) shows up at baresip. */
  const runUntil = async (type: string, nth: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (callee!.ctrl.events().filter((e) => e.type === type).length < nth) {
      if (Date.now() > deadline) throw new Error(`no ${type} #${nth} at baresip`);
      await t.app.zhike.worker.runDue();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('retries an unanswered number and stores the keyed score of the answered call', async () => {
    const clips = createClips();
    callee = await startBaresip({ account: { user: '+8613800000001' }, source: await clips.silence(40) });
    const inbox = await post('/api/v1/inboxes', {
      name: 'survey line',
      adapter: 'sip-voice',
      config: {
        mode: 'trunk',
        allowedSources: '127.0.0.1',
        numbers: '4008001234',
        outboundGateway: `sip:127.0.0.1:${callee.sipPort}`,
      },
    });
    expect(inbox.statusCode).toBe(201);
    const created = await post('/api/v1/campaigns', {
      name: 'after-sales survey',
      kind: 'survey',
      purpose: 'service',
      inboxId: inbox.json().id,
      script: 'Hello, this is the demo shop.',
      language: 'en-US',
      timeZone: 'Asia/Shanghai',
      quietHours: { start: '21:00', end: '09:00' },
      callsPerMinute: 10,
      maxConcurrent: 1,
      maxAttempts: 2,
      retryDelayMinutes: 1,
      customers: [],
      phones: ['13800000001'],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().campaign.id as string;
    expect((await post(`/api/v1/campaigns/${id}/start`)).statusCode).toBe(200);
    const targetsOf = async () =>
      (await t.app.inject({ url: `/api/v1/campaigns/${id}/targets`, headers: owner.headers })).json()
        .targets as { status: string; attempts: number; lastOutcome: string | null; score: number | null }[];

    // First attempt: it rings, nobody answers, our ring timeout gives up.
    await runUntil('CALL_INCOMING', 1, 15_000);
    await callee.waitFor('CALL_CLOSED', 15_000);
    await expect
      .poll(async () => (await targetsOf())[0], { timeout: 10_000 })
      .toMatchObject({ status: 'pending', attempts: 1, lastOutcome: 'no_answer' });

    // After the retry delay it is dialled again; this time the customer picks up and keys a 4.
    jump += 61_000;
    await runUntil('CALL_INCOMING', 2, 15_000);
    const since = callee.ctrl.events().length;
    const answered = await callee.ctrl.command('accept');
    expect(answered.ok).toBe(true);
    await callee.ctrl.waitFor('CALL_ESTABLISHED', 10_000, since);
    // The script and question play first; a key is pressed every few seconds until the bot hangs up.
    let closed = false;
    const closing = callee.ctrl.waitFor('CALL_CLOSED', 25_000, since).finally(() => {
      closed = true;
    });
    while (!closed) {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      if (!closed) await callee.sendDtmf('4').catch(() => undefined);
    }
    await closing;

    await expect
      .poll(async () => (await targetsOf())[0], { timeout: 15_000 })
      .toMatchObject({ status: 'reached', attempts: 2, lastOutcome: 'answered', score: 4 });
    const store = t.app.zhike.db.forWorkspace(await t.demoWorkspaceId());
    await expect
      .poll(async () => (await store.voice.calls.list({ limit: 5 }))[0]?.state, { timeout: 10_000 })
      .toBe('ended');
    const [call] = await store.voice.calls.list({ limit: 5 });
    expect(call).toMatchObject({ direction: 'outbound', transport: 'sip', endReason: 'bot-hangup' });
    expect(call?.recording?.durationMs).toBeGreaterThan(2000);
    expect(call?.trace.map((e) => e.name)).toEqual(expect.arrayContaining(['call.answered', 'stored']));
  }, 90_000);
});
