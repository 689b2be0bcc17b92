// kamailio as a digest-auth registrar: right password registers, wrong one is refused with 401, and a
// call between two registered baresips is routed through it.
import { afterAll, describe, expect, it } from 'vitest';
import { type Baresip, startBaresip } from './baresip.js';
import { createClips } from './clips.js';
import { type Kamailio, kamailioConfig, startKamailio } from './kamailio.js';
import { monoSamples, rms } from './wav.js';

describe('kamailio config', () => {
  it('refuses users and passwords it cannot write safely', () => {
    expect(() => kamailioConfig(5060, {})).toThrow(/at least one/);
    expect(() => kamailioConfig(5060, { 'a b': 'x' })).toThrow(/bad SIP user/);
    expect(() => kamailioConfig(5060, { alice: 'pw"; exit' })).toThrow(/cannot hold/);
    expect(kamailioConfig(5060, { alice: 'alicepw' })).toContain('$sht(users=>alice) = "alicepw";');
  });
});

describe('kamailio registrar', () => {
  const stops: Array<{ stop(): Promise<void> }> = [];
  let kam: Kamailio;
  afterAll(async () => {
    await Promise.all(stops.map((s) => s.stop()));
  });

  it('registers with the right password, refuses the wrong one, routes a call', async () => {
    kam = await startKamailio({ users: { zhike: 's3cret', alice: 'alicepw', mallory: 'rightpw' } });
    stops.push(kam);
    const clips = createClips();
    const quiet = await clips.silence(30);
    const hello = await clips.sequence(['你好', { silence: 2 }]);
    const start = async (user: string, password: string, source: string, autoAnswer = false) => {
      const b: Baresip = await startBaresip({
        account: { user, password, registrar: kam.address },
        source,
        autoAnswer,
      });
      stops.push(b);
      return b;
    };
    const [zhike, alice, mallory] = await Promise.all([
      start('zhike', 's3cret', quiet, true),
      start('alice', 'alicepw', hello),
      start('mallory', 'wrongpw', quiet),
    ]);
    await zhike.waitRegistered();
    await alice.waitRegistered();
    await expect(mallory.waitRegistered()).rejects.toThrow(/401/);
    expect(await alice.reginfo()).toMatch(/OK/);

    await alice.dial(`sip:zhike@${kam.address}`);
    await alice.waitFor('CALL_ESTABLISHED');
    const incoming = await zhike.waitFor('CALL_ESTABLISHED');
    expect(incoming.peeruri).toContain('alice');
    await zhike.waitFor('CALL_CLOSED', 15_000);
    expect(rms(monoSamples(zhike.lastReceived()))).toBeGreaterThan(0.01);
    // Not registered: kamailio has no location for mallory.
    await zhike.dial(`sip:mallory@${kam.address}`);
    const closed = await zhike.waitFor(
      (e) => e.type === 'CALL_CLOSED' && e.peeruri?.includes('mallory') === true,
    );
    expect(closed.param).toMatch(/404/);
  });
});
