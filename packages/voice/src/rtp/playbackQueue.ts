// The outbound audio queue of a media leg: PCM queued by play(), cut into 20 ms frames on demand, each
// play() a Playback whose promise settles when its last sample went out or when it was stopped.
import { FRAME_SAMPLES, type Playback } from '../types.ts';

interface QueuedAudio {
  samples: Int16Array;
  offset: number;
  settle: (how: 'finished' | 'stopped') => void;
  settled: boolean;
}

export class PlaybackQueue {
  private items: QueuedAudio[] = [];

  get idle(): boolean {
    return this.items.length === 0;
  }

  enqueue(samples: Int16Array): Playback {
    let settle!: (how: 'finished' | 'stopped') => void;
    const done = new Promise<'finished' | 'stopped'>((resolve) => {
      settle = resolve;
    });
    // Own copy: the caller may reuse its buffer once play() returns.
    const item: QueuedAudio = { samples: samples.slice(), offset: 0, settle, settled: false };
    const finishNow = samples.length === 0;
    if (finishNow) {
      item.settled = true;
      settle('finished');
    } else {
      this.items.push(item);
    }
    return {
      done,
      stop: () => {
        const index = this.items.indexOf(item);
        if (index < 0) return;
        for (const dropped of this.items.splice(index)) this.settle(dropped, 'stopped');
      },
    };
  }

  /** Drops everything queued. */
  clear(): void {
    const dropped = this.items;
    this.items = [];
    for (const item of dropped) this.settle(item, 'stopped');
  }

  /**
   * Fills `frame` with the next 20 ms (zero-padded at the very end of the queue); false when idle.
   * Playbacks whose last sample was taken settle 'finished' (after the frame is sent, by the caller
   * running `settleFinished`).
   */
  nextFrame(frame: Int16Array, finished: Array<() => void>): boolean {
    if (this.items.length === 0) return false;
    let filled = 0;
    while (filled < FRAME_SAMPLES && this.items.length > 0) {
      const item = this.items[0]!;
      const take = Math.min(FRAME_SAMPLES - filled, item.samples.length - item.offset);
      frame.set(item.samples.subarray(item.offset, item.offset + take), filled);
      filled += take;
      item.offset += take;
      if (item.offset >= item.samples.length) {
        this.items.shift();
        finished.push(() => this.settle(item, 'finished'));
      }
    }
    if (filled < FRAME_SAMPLES) frame.fill(0, filled);
    return true;
  }

  private settle(item: QueuedAudio, how: 'finished' | 'stopped'): void {
    if (item.settled) return;
    item.settled = true;
    item.settle(how);
  }
}
