import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES } from '../types.ts';
import { JitterBuffer } from './jitterBuffer.ts';

const frameOf = (value: number) => new Int16Array(FRAME_SAMPLES).fill(value);
const levelOf = (frame: Int16Array) => frame[0]!;

describe('JitterBuffer', () => {
  it('reorders, drops duplicates and too-late packets, fills a loss with silence', () => {
    const jb = new JitterBuffer({ targetPackets: 3 });
    const out: number[] = [];
    // Sequence numbers wrap at 65535 on the way.
    expect(jb.push(65534, frameOf(1))).toBe('queued');
    out.push(levelOf(jb.pull())); // priming
    expect(jb.push(0, frameOf(3))).toBe('queued');
    expect(jb.push(65535, frameOf(2))).toBe('queued');
    expect(jb.push(65535, frameOf(2))).toBe('duplicate');
    out.push(levelOf(jb.pull())); // now 3 held: starts at 65534
    jb.push(2, frameOf(5)); // 1 is lost
    jb.push(3, frameOf(6));
    for (let i = 0; i < 5; i++) out.push(levelOf(jb.pull()));
    expect(jb.push(1, frameOf(4))).toBe('late');
    expect(out).toEqual([0, 1, 2, 3, 0, 5, 6]);
    expect(jb.stats).toMatchObject({ late: 1, duplicates: 1, concealed: 1 });
  });

  it('keeps packets of other sizes in one continuous sample stream', () => {
    const jb = new JitterBuffer({ targetPackets: 1 });
    jb.push(10, new Int16Array(240).fill(7)); // a 30 ms packet
    jb.push(11, new Int16Array(240).fill(8));
    const frames = [jb.pull(), jb.pull(), jb.pull()];
    const joined = frames.flatMap((f) => [...f]);
    expect(joined.slice(0, 240).every((v) => v === 7)).toBe(true);
    expect(joined.slice(240, 480).every((v) => v === 8)).toBe(true);
  });

  it('skips ahead after a burst and restarts on a sequence jump', () => {
    const jb = new JitterBuffer({ targetPackets: 2, maxPackets: 4 });
    for (let s = 0; s < 10; s++) jb.push(s, frameOf(s + 1));
    expect(levelOf(jb.pull())).toBe(9); // 10 held > 4: skipped to the newest 2
    expect(jb.stats.skipped).toBe(8);
    jb.push(30000, frameOf(99));
    jb.push(30001, frameOf(100));
    const values = [jb.pull(), jb.pull(), jb.pull()].map(levelOf);
    expect(values).toContain(99);
  });
});
