// The outbound audio queue of a leg: PCM handed to `play` is cut into 20 ms frames taken one per clock
// tick; stopping any playback (barge-in) drops everything queued, as MediaLeg promises.
import { type AudioFrame, FRAME_SAMPLES, type Playback } from '@zhike/voice';

interface QueuedAudio {
  samples: Int16Array;
  offset: number;
  settle: (outcome: 'finished' | 'stopped') => void;
}

export class PlaybackQueue {
  private readonly items: QueuedAudio[] = [];

  enqueue(samples: Int16Array): Playback {
    let settle: (outcome: 'finished' | 'stopped') => void = () => {};
    const done = new Promise<'finished' | 'stopped'>((resolve) => {
      settle = resolve;
    });
    if (samples.length === 0) {
      settle('finished');
      return { stop: () => {}, done };
    }
    const item: QueuedAudio = { samples, offset: 0, settle };
    this.items.push(item);
    return {
      stop: () => {
        // A playback already sent stops nothing: barge-in after the fact must not cut later prompts.
        if (this.items.includes(item)) this.clear();
      },
      done,
    };
  }

  /** The next frame to send, or null when nothing is queued (the leg sends silence then). */
  next(): AudioFrame | null {
    const item = this.items[0];
    if (!item) return null;
    const frame = new Int16Array(FRAME_SAMPLES);
    const end = Math.min(item.offset + FRAME_SAMPLES, item.samples.length);
    frame.set(item.samples.subarray(item.offset, end));
    item.offset = end;
    if (item.offset >= item.samples.length) {
      this.items.shift();
      item.settle('finished');
    }
    return frame;
  }

  get size(): number {
    return this.items.length;
  }

  clear(): void {
    for (const item of this.items.splice(0)) item.settle('stopped');
  }
}
