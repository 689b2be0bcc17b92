import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES } from '../types.ts';
import { PlaybackQueue } from './playbackQueue.ts';

function drain(queue: PlaybackQueue): number[][] {
  const frames: number[][] = [];
  const frame = new Int16Array(FRAME_SAMPLES);
  for (;;) {
    const finished: Array<() => void> = [];
    if (!queue.nextFrame(frame, finished)) return frames;
    frames.push([frame[0]!, frame[FRAME_SAMPLES - 1]!]);
    for (const settle of finished) settle();
  }
}

describe('PlaybackQueue', () => {
  it('cuts queued audio into frames across item boundaries, zero-pads the end, settles in order', async () => {
    const queue = new PlaybackQueue();
    const source = new Int16Array(FRAME_SAMPLES + 10).fill(1);
    const first = queue.enqueue(source);
    source.fill(9); // the queue kept its own copy
    const second = queue.enqueue(new Int16Array(FRAME_SAMPLES).fill(2));
    const empty = queue.enqueue(new Int16Array(0));
    expect(await empty.done).toBe('finished');
    expect(drain(queue)).toEqual([
      [1, 1],
      [1, 2], // 10 samples of the first, then the second
      [2, 0], // rest of the second, zero-padded
    ]);
    expect(await first.done).toBe('finished');
    expect(await second.done).toBe('finished');
    expect(queue.idle).toBe(true);
  });

  it('stop() drops that playback and everything queued behind it; clear() drops all', async () => {
    const queue = new PlaybackQueue();
    const a = queue.enqueue(new Int16Array(FRAME_SAMPLES).fill(1));
    const b = queue.enqueue(new Int16Array(FRAME_SAMPLES).fill(2));
    const c = queue.enqueue(new Int16Array(FRAME_SAMPLES).fill(3));
    b.stop();
    expect(await b.done).toBe('stopped');
    expect(await c.done).toBe('stopped');
    expect(drain(queue)).toEqual([[1, 1]]);
    expect(await a.done).toBe('finished');
    a.stop(); // already finished: nothing happens
    const d = queue.enqueue(new Int16Array(5000));
    queue.clear();
    expect(await d.done).toBe('stopped');
    expect(drain(queue)).toEqual([]);
  });
});
