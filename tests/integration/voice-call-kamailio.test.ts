// Calls through a real registrar: our user agent registers an extension at Debian kamailio (digest auth),
// a registered baresip calls that extension and kamailio routes the INVITE to us (record-routed, so our
// BYE goes back through it); we call another registered baresip through the registrar; DTMF arrives.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CallTrace,
  type DtmfDigit,
  type InboundSipCall,
  type RegistrationEvent,
  type RunningSipUserAgent,
  startSipUserAgent,
  type TraceEvent,
} from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Baresip, startBaresip } from '../support/voice/baresip.ts';
import { type Kamailio, startKamailio } from '../support/voice/kamailio.ts';
import { freePortBlock } from '../support/voice/ports.ts';
import { encodeWav, monoSamples, rms } from '../support/voice/wav.ts';

class Trace implements CallTrace {
  readonly list: TraceEvent[] = [];
  add(event: Omit<TraceEvent, 'atMs'> & { atMs?: number }): void {
    this.list.push({ ...event, atMs: event.atMs ?? 0 });
  }
  events(): readonly TraceEvent[] {
    return this.list;
  }
}

function tone(seconds: number, hz: number, amplitude = 0.3): Int16Array {
  const samples = new Int16Array(seconds * 8000);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(Math.sin((2 * Math.PI * hz * i) / 8000) * amplitude * 32767);
  }
  return samples;
}

describe('SIP calls through kamailio with digest registration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhike-callctl-kam-'));
  const peers: Baresip[] = [];
  const registrations: { accountId: string; event: RegistrationEvent }[] = [];
  const errors: unknown[] = [];
  let kamailio: Kamailio;
  let running: RunningSipUserAgent;
  let source: string;

  beforeAll(async () => {
    kamailio = await startKamailio({ users: { zhike: 's3cret', alice: 'alicepw', bob: 'bobpw' } });
    const block = await freePortBlock(20);
    let registeredOk!: () => void;
    let registrationFailed!: (error: Error) => void;
    const registered = new Promise<void>((resolve, reject) => {
      registeredOk = resolve;
      registrationFailed = reject;
    });
    running = await startSipUserAgent(
      {
        host: '127.0.0.1',
        port: 0,
        publicAddress: null,
        rtpPorts: { min: block.rtpLow, max: block.rtpHigh },
        accounts: [
          {
            id: 'inbox-pbx',
            registrar: `sip:${kamailio.address}`,
            user: 'zhike',
            password: 's3cret',
            expires: 60,
          },
        ],
        isTrunkSource: () => false,
        answerUsers: ['zhike'],
      },
      {
        createTrace: () => new Trace(),
        onRegistration: (accountId, event) => {
          registrations.push({ accountId, event });
          if (event.type === 'registered') registeredOk();
          if (event.type === 'failed')
            registrationFailed(new Error(`registration failed: ${event.status} ${event.reason}`));
        },
        onError: (error) => errors.push(error),
      },
    );
    await registered;
    source = join(dir, 'tone.wav');
    writeFileSync(source, encodeWav(tone(30, 400), 8000));
  });

  afterAll(async () => {
    await running?.stop();
    await Promise.all(peers.map((peer) => peer.stop()));
    await kamailio?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers, takes a call routed by the registrar, gets DTMF and hangs up through the route set', async () => {
    expect(registrations[0]).toMatchObject({ accountId: 'inbox-pbx', event: { type: 'registered' } });
    const alice = await startBaresip({
      account: { user: 'alice', password: 'alicepw', registrar: kamailio.address },
      source,
    });
    peers.push(alice);
    await alice.waitRegistered();
    const incoming = new Promise<InboundSipCall>((resolve) => running.userAgent.onIncoming(resolve));
    await alice.dial(`sip:zhike@${kamailio.address}`);
    const call = await incoming;
    expect(call.arrival.accountId).toBe('inbox-pbx');
    expect(call.arrival.dialled).toBe('zhike');
    expect(call.from.uri).toContain('alice@');
    await call.answer();
    await alice.waitFor('CALL_ESTABLISHED');
    const leg = call.media!;
    const digits: DtmfDigit[] = [];
    const gotDigit = new Promise<void>((resolve) =>
      leg.onDtmf((digit) => {
        digits.push(digit);
        resolve();
      }),
    );
    await leg.play(tone(1, 1000)).done;
    await alice.sendDtmf('0');
    await gotDigit;
    expect(digits).toEqual(['0']);
    await call.hangup();
    await alice.waitFor('CALL_CLOSED', 5000);
    expect(rms(monoSamples(alice.lastReceived()))).toBeGreaterThan(0.05);
    const trace = call.trace.events().map((event) => event.name);
    expect(trace).toContain('BYE sent');
    expect(trace).toContain('200 OK received');
  });

  it('dials a registered extension through the registrar with the account', async () => {
    const bob = await startBaresip({
      account: { user: 'bob', password: 'bobpw', registrar: kamailio.address },
      source,
      autoAnswer: true,
    });
    peers.push(bob);
    await bob.waitRegistered();
    const call = await running.userAgent.dial(`sip:bob@${kamailio.address}`, { accountId: 'inbox-pbx' });
    await call.waitForAnswer();
    const heard: Int16Array[] = [];
    call.media!.onAudio((frame) => heard.push(frame));
    await call.media!.play(tone(1, 700)).done;
    const loud = heard.filter((frame) => frame.some((s) => Math.abs(s) > 3000)).length;
    expect(loud).toBeGreaterThan(10);
    await bob.hangup();
    expect((await call.ended).cause).toBe('remote-hangup');
    expect(errors).toEqual([]);
  });

  it('unregisters on stop', async () => {
    await running.stop();
    expect(registrations.map((r) => r.event.type)).toContain('unregistered');
  });
});
