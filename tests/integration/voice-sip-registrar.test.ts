// A voice inbox in register mode: the server registers as extension `zhike` at a real registrar (Debian
// kamailio, digest auth, configured by the test), and a baresip caller registered there as `alice` dials
// sip:zhike@registrar — kamailio forwards the INVITE to our binding, the call is routed to the inbox it
// registered for and reaches the bot; baresip hears it speak.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../apps/server/src/testing.ts';
import { type Baresip, startBaresip } from '../support/voice/baresip.js';
import { createClips } from '../support/voice/clips.js';
import { type Kamailio, startKamailio } from '../support/voice/kamailio.ts';
import { freePortBlock } from '../support/voice/ports.js';
import { monoSamples, voicedSeconds } from '../support/voice/wav.js';

describe('a voice inbox registered at a registrar', () => {
  let t: TestApp;
  let kamailio: Kamailio;
  let alice: Baresip | null = null;
  let workspaceId: string;
  let inboxId: string;

  beforeAll(async () => {
    kamailio = await startKamailio({ users: { zhike: 'zhike-pw-1', alice: 'alice-pw-1' } });
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
        name: 'extension',
        adapter: 'sip-voice',
        config: {
          mode: 'register',
          registrar: `sip:${kamailio.address}`,
          username: 'zhike',
          password: 'zhike-pw-1',
          expires: 120,
        },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain('zhike-pw-1');
    inboxId = created.json().id;
    await t.app.zhike.voice.sip?.reload();
  }, 60_000);
  afterAll(async () => {
    await alice?.stop();
    await t?.close();
    await kamailio?.stop();
  });

  it('registers, and a call to the extension through the registrar reaches the bot', async () => {
    const clips = createClips();
    alice = await startBaresip({
      account: { user: 'alice', password: 'alice-pw-1', registrar: kamailio.address },
      source: await clips.silence(30),
    });
    await alice.waitRegistered(15_000);
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    // Our REGISTER may still be on its way: the registrar answers 404 until the binding exists.
    let established = false;
    for (let attempt = 0; attempt < 10 && !established; attempt++) {
      await alice.dial(`sip:zhike@${kamailio.address}`);
      const event = await alice.waitFor(
        (e) => e.type === 'CALL_ESTABLISHED' || e.type === 'CALL_CLOSED',
        10_000,
      );
      established = event.type === 'CALL_ESTABLISHED';
    }
    expect(established).toBe(true);
    await expect
      .poll(async () => (await store.voice.calls.list({ limit: 5 }))[0]?.inboxId, { timeout: 15_000 })
      .toBe(inboxId);
    // The notice and greeting play in real time on the RTP clock.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    await alice.hangup();
    await alice.waitFor('CALL_CLOSED', 10_000);
    await expect
      .poll(async () => (await store.voice.calls.list({ limit: 5 }))[0]?.state, { timeout: 15_000 })
      .toBe('ended');
    expect(voicedSeconds(monoSamples(alice.lastReceived()), 8000)).toBeGreaterThan(2);
  }, 90_000);
});
