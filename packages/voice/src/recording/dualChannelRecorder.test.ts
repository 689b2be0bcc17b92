import { afterEach, describe, expect, it } from 'vitest';
import { deinterleave, readWav } from '../codecs/wav.ts';
import { RtpSession } from '../rtp/session.ts';
import { sessionPair, testAllocator } from '../rtp/testSupport.ts';
import { type AudioFrame, FRAME_SAMPLES, type Unsubscribe } from '../types.ts';
import { DualChannelRecorder } from './dualChannelRecorder.ts';

/** A leg driven by hand: each tick hands out one sent and then one received frame, like RtpSession. */
class HandLeg {
  private readonly audio = new Set<(f: AudioFrame) => void>();
  private readonly sent = new Set<(f: AudioFrame) => void>();
  onAudio(listener: (f: AudioFrame) => void): Unsubscribe {
    this.audio.add(listener);
    return () => this.audio.delete(listener);
  }
  onSent(listener: (f: AudioFrame) => void): Unsubscribe {
    this.sent.add(listener);
    return () => this.sent.delete(listener);
  }
  tick(inbound: number, sent: number | null): void {
    if (sent !== null) for (const l of this.sent) l(new Int16Array(FRAME_SAMPLES).fill(sent));
    for (const l of this.audio) l(new Int16Array(FRAME_SAMPLES).fill(inbound));
  }
}

const channelsOf = (wav: Buffer) => {
  const audio = readWav(wav);
  expect(audio).toMatchObject({ sampleRate: 8000, channels: 2 });
  return deinterleave(audio.samples, 2);
};
const perFrame = (channel: Int16Array) =>
  Array.from({ length: channel.length / FRAME_SAMPLES }, (_, i) => channel[i * FRAME_SAMPLES]);

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

describe('DualChannelRecorder', () => {
  it('puts the caller left and what was sent right, frame-aligned, silence where nothing was sent', () => {
    const leg = new HandLeg();
    const recorder = new DualChannelRecorder();
    leg.tick(1, 1); // before start: not recorded
    recorder.start(leg);
    leg.tick(10, 100);
    leg.tick(11, null); // on hold: nothing sent in this slot
    leg.tick(12, 102);
    const { wav, durationMs, truncated } = recorder.stop();
    expect(durationMs).toBe(60);
    expect(truncated).toBe(false);
    const [left, right] = channelsOf(wav);
    expect(perFrame(left!)).toEqual([10, 11, 12]);
    expect(perFrame(right!)).toEqual([100, 0, 102]);
    leg.tick(13, 103); // after stop: ignored
    expect(recorder.stop().durationMs).toBe(60);
    expect(() => recorder.start(leg)).toThrow(/already stopped/);
  });

  it('mixes a party added later into the right channel, with saturation, until removed', () => {
    const caller = new HandLeg();
    const agent = new HandLeg();
    const recorder = new DualChannelRecorder();
    recorder.start(caller);
    caller.tick(1, 1000);
    const remove = recorder.addParty(agent);
    agent.tick(500, null);
    caller.tick(2, 1000);
    agent.tick(32000, null);
    caller.tick(3, 1000);
    remove();
    agent.tick(7, null);
    caller.tick(4, 1000);
    const [left, right] = channelsOf(recorder.stop().wav);
    expect(perFrame(left!)).toEqual([1, 2, 3, 4]);
    expect(perFrame(right!)).toEqual([1000, 1500, 32767, 1000]);
  });

  it('stops growing at maxSeconds and spans one-second chunks correctly', () => {
    const leg = new HandLeg();
    const recorder = new DualChannelRecorder({ maxSeconds: 1.2 });
    recorder.start(leg);
    for (let i = 0; i < 100; i++) leg.tick(i, -i);
    const result = recorder.stop();
    expect(result.durationMs).toBe(1200);
    expect(result.truncated).toBe(true);
    const [left, right] = channelsOf(result.wav);
    expect(perFrame(left!)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(perFrame(right!)).toEqual(Array.from({ length: 60 }, (_, i) => 0 - i));
  });

  it('records a real RTP session: the far end on the left, our clip on the right, in step', async () => {
    const [a, b] = await sessionPair(testAllocator());
    cleanup.push(
      () => a.close(),
      () => b.close(),
    );
    expect(b).toBeInstanceOf(RtpSession);
    const recorder = new DualChannelRecorder();
    recorder.start(b);
    const tone = (value: number) => new Int16Array(8000 * 0.4).fill(value);
    await Promise.all([a.play(tone(4000)).done, b.play(tone(-2000)).done]);
    await new Promise<void>((resolve) => {
      let n = 0;
      const off = b.onAudio(() => {
        if (++n === 10) {
          off();
          resolve();
        }
      });
    });
    const [left, right] = channelsOf(recorder.stop().wav);
    const leftLoud = left!.filter((v) => Math.abs(v) > 3000).length;
    const rightLoud = right!.filter((v) => v === -2000).length;
    expect(rightLoud).toBe(8000 * 0.4); // everything b sent, exactly
    expect(leftLoud).toBeGreaterThan(8000 * 0.4 * 0.95); // what a sent, through G.711 and the network
    expect(left!.length).toBe(right!.length);
  });
});
