// Records a call as a two-channel 8 kHz WAV: left = the caller (what the leg received), right = what
// was sent to the caller (bot or agent), paired on the leg's 20 ms clock; later parties (an agent's
// leg after a transfer) are mixed into the right channel.
import { writeWav } from '../codecs/wav.ts';
import {
  type AudioFrame,
  FRAME_MS,
  FRAME_SAMPLES,
  type MediaLeg,
  SAMPLE_RATE,
  type Unsubscribe,
} from '../types.ts';

/** The recorder's view of a leg: it only listens. */
export type RecordedLeg = Pick<MediaLeg, 'onAudio' | 'onSent'>;
/** A party mixed in later: its inbound audio (what that person says). */
export type MixedParty = Pick<MediaLeg, 'onAudio'>;

export interface DualChannelRecorderOptions {
  /** Recording stops growing after this long (default 4 h); `truncated` tells. */
  maxSeconds?: number;
}

export interface CallRecording {
  /** A stereo PCM16 8 kHz WAV file. */
  wav: Buffer;
  durationMs: number;
  /** True when maxSeconds cut the recording short. */
  truncated: boolean;
}

/** Frames waiting for the next tick of the primary leg; bounded, since another leg's clock drifts. */
class FrameQueue {
  private readonly frames: AudioFrame[] = [];
  constructor(private readonly limit: number) {}
  push(frame: AudioFrame): void {
    this.frames.push(frame);
    if (this.frames.length > this.limit) this.frames.shift();
  }
  take(): AudioFrame | undefined {
    return this.frames.shift();
  }
}

const SECOND_FRAMES = 1000 / FRAME_MS;

export class DualChannelRecorder {
  private readonly maxFrames: number;
  private readonly subscriptions: Unsubscribe[] = [];
  private readonly sent = new FrameQueue(3);
  private readonly parties = new Map<MixedParty, { queue: FrameQueue; unsubscribe: Unsubscribe }>();
  /** Finished one-second stereo chunks, interleaved L R. */
  private readonly chunks: Int16Array[] = [];
  private current = new Int16Array(SECOND_FRAMES * FRAME_SAMPLES * 2);
  private currentFrames = 0;
  private frames = 0;
  private truncated = false;
  private state: 'idle' | 'recording' | 'stopped' = 'idle';

  constructor(options: DualChannelRecorderOptions = {}) {
    this.maxFrames = Math.round(((options.maxSeconds ?? 4 * 3600) * 1000) / FRAME_MS);
  }

  /** Starts recording the caller's leg; every inbound frame is one 20 ms step of the recording. */
  start(leg: RecordedLeg): void {
    if (this.state !== 'idle') throw new Error(`recorder already ${this.state}`);
    this.state = 'recording';
    // The leg hands out what it sent before what it received in the same slot (RtpSession does), so
    // the sent frame is waiting when the inbound one arrives; a leg that does it the other way round
    // lands one frame (20 ms) later on the right, never drifting.
    this.subscriptions.push(leg.onSent((frame) => this.sent.push(frame)));
    this.subscriptions.push(leg.onAudio((frame) => this.step(frame)));
  }

  /** Mixes another party's voice into the right channel from now on (agent after a transfer). */
  addParty(party: MixedParty): Unsubscribe {
    if (this.state === 'stopped') throw new Error('recorder stopped');
    if (this.parties.has(party)) return () => this.removeParty(party);
    const queue = new FrameQueue(5);
    const unsubscribe = party.onAudio((frame) => queue.push(frame));
    this.parties.set(party, { queue, unsubscribe });
    return () => this.removeParty(party);
  }

  removeParty(party: MixedParty): void {
    const entry = this.parties.get(party);
    if (!entry) return;
    entry.unsubscribe();
    this.parties.delete(party);
  }

  get durationMs(): number {
    return this.frames * FRAME_MS;
  }

  /** Stops listening and returns the WAV; calling it again returns the same recording. */
  stop(): CallRecording {
    if (this.state !== 'stopped') {
      this.state = 'stopped';
      for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
      for (const party of [...this.parties.keys()]) this.removeParty(party);
      if (this.currentFrames > 0)
        this.chunks.push(this.current.slice(0, this.currentFrames * FRAME_SAMPLES * 2));
      this.currentFrames = 0;
    }
    const samples = new Int16Array(this.frames * FRAME_SAMPLES * 2);
    let offset = 0;
    for (const chunk of this.chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    return {
      wav: writeWav({ sampleRate: SAMPLE_RATE, channels: 2, samples }),
      durationMs: this.durationMs,
      truncated: this.truncated,
    };
  }

  private step(inbound: AudioFrame): void {
    if (this.state !== 'recording') return;
    if (this.frames >= this.maxFrames) {
      this.truncated = true;
      return;
    }
    const sent = this.sent.take();
    const extra: AudioFrame[] = [];
    for (const { queue } of this.parties.values()) {
      const frame = queue.take();
      if (frame) extra.push(frame);
    }
    const base = this.currentFrames * FRAME_SAMPLES * 2;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      let right = sent?.[i] ?? 0;
      for (const frame of extra) right += frame[i] ?? 0;
      this.current[base + i * 2] = inbound[i] ?? 0;
      this.current[base + i * 2 + 1] = Math.max(-32768, Math.min(32767, right));
    }
    this.frames++;
    this.currentFrames++;
    if (this.currentFrames === SECOND_FRAMES) {
      this.chunks.push(this.current);
      this.current = new Int16Array(SECOND_FRAMES * FRAME_SAMPLES * 2);
      this.currentFrames = 0;
    }
  }
}
