// A real phone call into the server: Debian baresip dials the SIP user agent the server started from
// ZHIKE_SIP_* (trunk inbox, loopback allowed), the call is routed to the demo shop's voice inbox, answered,
// and runs through voiceCalls with the default speech (espeak-ng; no ASR configured, so the bot hears
// nothing it understands). baresip hears the recording notice and greeting; its hang-up ends the call,
// which is stored with its SIP dialog in the trace and an encrypted recording.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../apps/server/src/testing.ts';
import { type Baresip, startBaresip } from '../support/voice/baresip.js';
import { createClips } from '../support/voice/clips.js';
import { freePortBlock } from '../support/voice/ports.js';
import { monoSamples, rms, voicedSeconds } from '../support/voice/wav.js';

describe('a SIP call into the server', () => {
  let t: TestApp;
  let caller: Baresip | null = null;
  let workspaceId: string;

  beforeAll(async () => {
    const ports = await freePortBlock(20);
    t = await createTestApp('sqlite', {
      env: {
        ZHIKE_SIP_PORT: String(ports.sip),
        ZHIKE_SIP_HOST: '127.0.0.1',
        ZHIKE_RTP_PORTS: `${ports.rtpLow}-${ports.rtpHigh}`,
      },
    });
    const owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: 'hotline',
        adapter: 'sip-voice',
        config: { mode: 'trunk', allowedSources: '127.0.0.1', numbers: '4008001234' },
      },
    });
    expect(created.statusCode).toBe(201);
    // No reload here: creating a voice line makes the user agent take it at once.
  }, 60_000);
  afterAll(async () => {
    await caller?.stop();
    await t?.close();
  });

  it('answers, speaks the notice and greeting, and stores the call when the caller hangs up', async () => {
    const sip = t.app.zhike.voice.sip;
    expect(sip?.address.port).toBeGreaterThan(0);
    const clips = createClips();
    caller = await startBaresip({ account: { user: 'caller' }, source: await clips.silence(30) });
    await caller.dial(`sip:4008001234@127.0.0.1:${sip?.address.port}`);
    await caller.waitFor('CALL_ESTABLISHED', 15_000);
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    await expect
      .poll(async () => (await store.voice.calls.list({ limit: 5 }))[0]?.state, { timeout: 15_000 })
      .toBe('bot');
    // The notice and greeting play in real time on the RTP clock (about 8 s of espeak-ng speech).
    await new Promise((resolve) => setTimeout(resolve, 9000));
    await caller.hangup();
    await caller.waitFor('CALL_CLOSED', 10_000);
    await expect
      .poll(async () => (await store.voice.calls.list({ limit: 5 }))[0]?.state, { timeout: 15_000 })
      .toBe('ended');
    const [call] = await store.voice.calls.list({ limit: 5 });
    expect(call).toMatchObject({ transport: 'sip', endReason: 'caller-hangup' });
    expect(call?.recording?.durationMs).toBeGreaterThan(5000);
    expect(call?.trace.map((e) => e.stage)).toEqual(expect.arrayContaining(['sip', 'recording']));
    const heard = monoSamples(caller.lastReceived());
    expect(rms(heard)).toBeGreaterThan(0.01);
    expect(voicedSeconds(heard, 8000)).toBeGreaterThan(2);
    // A number nobody answers is refused.
    await caller.dial(`sip:4009999999@127.0.0.1:${sip?.address.port}`);
    await caller.waitFor('CALL_CLOSED', 10_000);
    expect((await store.voice.calls.list({ limit: 5 })).length).toBe(1);
  }, 60_000);
});
