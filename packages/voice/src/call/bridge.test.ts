import { describe, expect, it } from 'vitest';
import type { AudioFrame, DtmfDigit, MediaLeg, MediaLegStats, Playback } from '../types.ts';
import { bridgeLegs } from './bridge.ts';

class ScriptedLeg implements MediaLeg {
  readonly codec = 'PCMA' as const;
  readonly played: Int16Array[] = [];
  readonly dtmfSent: string[] = [];
  stops = 0;
  private audio = new Set<(frame: AudioFrame) => void>();
  private dtmf = new Set<(digit: DtmfDigit) => void>();
  private pending: (() => void)[] = [];
  private closeLeg!: () => void;
  readonly closed = new Promise<void>((resolve) => {
    this.closeLeg = resolve;
  });
  constructor(readonly id: string) {}
  onAudio(listener: (frame: AudioFrame) => void) {
    this.audio.add(listener);
    return () => this.audio.delete(listener);
  }
  onDtmf(listener: (digit: DtmfDigit) => void) {
    this.dtmf.add(listener);
    return () => this.dtmf.delete(listener);
  }
  onSent() {
    return () => {};
  }
  hear(frame: AudioFrame) {
    for (const listener of this.audio) listener(frame);
  }
  press(digit: DtmfDigit) {
    for (const listener of this.dtmf) listener(digit);
  }
  /** Lets every queued frame finish, as the leg's clock would. */
  drain() {
    for (const finish of this.pending.splice(0)) finish();
  }
  play(samples: Int16Array): Playback {
    this.played.push(samples);
    let finish!: () => void;
    const done = new Promise<'finished' | 'stopped'>((resolve) => {
      finish = () => resolve('finished');
    });
    this.pending.push(finish);
    return { stop() {}, done };
  }
  stopPlayback() {
    this.stops += 1;
  }
  async sendDtmf(digits: string) {
    this.dtmfSent.push(digits);
  }
  setMuted() {}
  close() {
    this.closeLeg();
  }
  stats(): MediaLegStats {
    return { packetsSent: 0, packetsReceived: 0, lateSent: 0, droppedReceived: 0 };
  }
}

const frame = (value: number) => new Int16Array(160).fill(value);

describe('bridgeLegs', () => {
  it('carries audio and DTMF both ways until disconnected', async () => {
    const caller = new ScriptedLeg('caller');
    const agent = new ScriptedLeg('agent');
    const bridge = bridgeLegs(caller, agent);
    caller.hear(frame(1));
    agent.hear(frame(2));
    caller.press('5');
    expect(agent.played.map((f) => f[0])).toEqual([1]);
    expect(caller.played.map((f) => f[0])).toEqual([2]);
    expect(agent.dtmfSent).toEqual(['5']);
    bridge.disconnect();
    caller.hear(frame(3));
    expect(agent.played).toHaveLength(1);
    await bridge.done;
  });

  it('drops the backlog when one side falls behind', async () => {
    const caller = new ScriptedLeg('caller');
    const agent = new ScriptedLeg('agent');
    bridgeLegs(caller, agent, { maxQueuedFrames: 3 });
    for (let i = 0; i < 3; i++) caller.hear(frame(i));
    expect(agent.stops).toBe(0);
    caller.hear(frame(9));
    expect(agent.stops).toBe(1);
    agent.drain();
    await new Promise((resolve) => setImmediate(resolve));
    caller.hear(frame(10));
    caller.hear(frame(11));
    expect(agent.stops).toBe(1);
  });

  it('stops when either leg closes', async () => {
    const caller = new ScriptedLeg('caller');
    const agent = new ScriptedLeg('agent');
    const bridge = bridgeLegs(caller, agent);
    agent.close();
    await bridge.done;
    caller.hear(frame(1));
    expect(agent.played).toHaveLength(0);
  });
});
