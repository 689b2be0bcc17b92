// Call control against a real third-party SIP client (Debian baresip): it calls our user agent and we
// answer with a tone it must hear; we call it and hear its tone; hold/resume re-INVITEs both ways; RFC 4733
// DTMF from baresip reaches our leg; hang-ups end the call on the other side.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CallTrace,
  type DtmfDigit,
  type InboundSipCall,
  type SipUserAgent,
  startSipUserAgent,
  type TraceEvent,
} from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Baresip, startBaresip } from '../support/voice/baresip.ts';
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

function tone(seconds: number, hz: number, amplitude = 0.4): Int16Array {
  const samples = new Int16Array(seconds * 8000);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(Math.sin((2 * Math.PI * hz * i) / 8000) * amplitude * 32767);
  return samples;
}

function meanAbs(frames: Int16Array[]): number {
  let sum = 0;
  let n = 0;
  for (const frame of frames)
    for (const s of frame) {
      sum += Math.abs(s);
      n++;
    }
  return n === 0 ? 0 : sum / n / 32768;
}

describe('SIP calls with a real baresip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhike-callctl-'));
  const peers: Baresip[] = [];
  const traces: Trace[] = [];
  let ua: SipUserAgent;
  let sipPort: number;
  const errors: unknown[] = [];

  beforeAll(async () => {
    const block = await freePortBlock(40);
    const running = await startSipUserAgent(
      {
        host: '127.0.0.1',
        port: 0,
        publicAddress: null,
        rtpPorts: { min: block.rtpLow, max: block.rtpHigh },
        accounts: [],
        isTrunkSource: (host) => host === '127.0.0.1',
        answerUsers: ['bot'],
      },
      {
        createTrace: () => {
          const trace = new Trace();
          traces.push(trace);
          return trace;
        },
        onError: (e) => errors.push(e),
      },
    );
    ua = running.userAgent;
    sipPort = running.address.port;
  });

  afterAll(async () => {
    await ua?.stop();
    await Promise.all(peers.map((peer) => peer.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a call from baresip, plays a tone it hears, gets its DTMF and ends on its BYE', async () => {
    const source = join(dir, 'caller.wav');
    writeFileSync(source, encodeWav(tone(30, 300, 0.3), 8000));
    const caller = await startBaresip({ account: { user: 'caller' }, source, codecs: ['PCMA', 'PCMU'] });
    peers.push(caller);
    const incoming = new Promise<InboundSipCall>((resolve) => ua.onIncoming(resolve));
    await caller.dial(`sip:bot@127.0.0.1:${sipPort}`);
    const call = await incoming;
    expect(call.state).toBe('ringing');
    await call.answer();
    await caller.waitFor('CALL_ESTABLISHED');
    const leg = call.media!;
    expect(leg.codec).toBe('PCMA');

    const heard: Int16Array[] = [];
    leg.onAudio((frame) => heard.push(frame));
    const digits: DtmfDigit[] = [];
    const gotDigits = new Promise<void>((resolve) =>
      leg.onDtmf((digit) => {
        digits.push(digit);
        if (digits.length === 3) resolve();
      }),
    );
    const played = leg.play(tone(2, 1000));
    expect(await played.done).toBe('finished');
    await caller.sendDtmf('4#7');
    await gotDigits;
    expect(digits).toEqual(['4', '#', '7']);
    expect(meanAbs(heard)).toBeGreaterThan(0.05);

    await caller.hangup();
    expect((await call.ended).cause).toBe('remote-hangup');
    const received = monoSamples(caller.lastReceived());
    expect(rms(received)).toBeGreaterThan(0.05);
    const names = traces.at(-1)!.list.map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'INVITE received',
        '180 Ringing sent',
        '200 OK sent',
        'ACK received',
        'BYE received',
      ]),
    );
  });

  it('dials an auto-answering baresip, hears it, holds and resumes, and hangs up', async () => {
    const source = join(dir, 'callee.wav');
    writeFileSync(source, encodeWav(tone(30, 500, 0.3), 8000));
    const callee = await startBaresip({ account: { user: 'callee' }, source, autoAnswer: true });
    peers.push(callee);
    const call = await ua.dial(callee.uri);
    await call.waitForAnswer();
    await callee.waitFor('CALL_ESTABLISHED');
    const leg = call.media!;
    expect(leg.codec).toBe('PCMA');
    const heard: Int16Array[] = [];
    leg.onAudio((frame) => heard.push(frame));
    await leg.play(tone(1, 800)).done;
    expect(meanAbs(heard)).toBeGreaterThan(0.05);

    await call.hold();
    expect(call.holdState).toEqual({ local: true, remote: false });
    await call.resume();
    expect(call.holdState).toEqual({ local: false, remote: false });
    heard.length = 0;
    await leg.play(tone(1, 800)).done;
    expect(meanAbs(heard)).toBeGreaterThan(0.05);

    await call.hangup();
    await callee.waitFor('CALL_CLOSED', 5000);
    expect((await call.ended).cause).toBe('local-hangup');
    expect(rms(monoSamples(callee.lastReceived()))).toBeGreaterThan(0.02);
  });

  it('accepts a hold and resume re-INVITE from baresip', async () => {
    const source = join(dir, 'holder.wav');
    writeFileSync(source, encodeWav(tone(30, 300, 0.3), 8000));
    const caller = await startBaresip({ account: { user: 'holder' }, source });
    peers.push(caller);
    const incoming = new Promise<InboundSipCall>((resolve) => ua.onIncoming(resolve));
    await caller.dial(`sip:bot@127.0.0.1:${sipPort}`);
    const call = await incoming;
    await call.answer();
    await caller.waitFor('CALL_ESTABLISHED');
    const nextHold = () =>
      new Promise<boolean>((resolve) => {
        const off = call.on('hold', (state) => {
          off();
          resolve(state.remote);
        });
      });
    const holding = nextHold();
    await caller.ctrl.command('hold', '');
    expect(await holding).toBe(true);
    expect(call.media).not.toBeNull();
    const resuming = nextHold();
    await caller.ctrl.command('resume', '');
    expect(await resuming).toBe(false);
    await call.hangup();
    await caller.waitFor('CALL_CLOSED', 5000);
    expect(errors).toEqual([]);
  });
});
