import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES } from '../types.ts';
import { JitterBuffer } from './jitterBuffer.ts';

const frameOf = (value: number) => new Int16Array(FRAME_SAMPLES).fill(value);
const levelOf = (frame: Int16Array) => frame[0]!;

describe('JitterBuffer', () => {
  it('reorders, drops duplicates and too-late packets, fills a loss with silence', () => {
    const jb = new JitterBuffer({ targetPackets: 3, quietLevel: 0 });
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
    const jb = new JitterBuffer({ targetPackets: 1, quietLevel: 0 });
    jb.push(10, new Int16Array(240).fill(7)); // a 30 ms packet
    jb.push(11, new Int16Array(240).fill(8));
    const frames = [jb.pull(), jb.pull(), jb.pull()];
    const joined = frames.flatMap((f) => [...f]);
    expect(joined.slice(0, 240).every((v) => v === 7)).toBe(true);
    expect(joined.slice(240, 480).every((v) => v === 8)).toBe(true);
  });

  it('skips ahead after a burst and restarts on a sequence jump', () => {
    const jb = new JitterBuffer({ targetPackets: 2, maxPackets: 4, quietLevel: 0 });
    for (let s = 0; s < 10; s++) jb.push(s, frameOf(s + 1));
    expect(levelOf(jb.pull())).toBe(9); // 10 held > 4: skipped to the newest 2
    expect(jb.stats.skipped).toBe(8);
    jb.push(30000, frameOf(99));
    jb.push(30001, frameOf(100));
    const values = [jb.pull(), jb.pull(), jb.pull()].map(levelOf);
    expect(values).toContain(99);
  });

  it('after a stall keeps every packet of speech and wins the delay back in the pause after it', () => {
    const jb = new JitterBuffer({ targetPackets: 3 });
    // A 600 ms stall: speech with short gaps inside it (2 quiet packets), then a pause, all at once.
    const sent: number[] = [];
    for (let s = 0; s < 20; s++) sent.push(s % 7 === 5 || s % 7 === 6 ? 0 : 1000 + s);
    for (let s = 20; s < 30; s++) sent.push(0);
    for (const [s, level] of sent.entries()) jb.push(s, frameOf(level));
    const out: number[] = [];
    for (let tick = 0; tick < 60; tick++) {
      out.push(levelOf(jb.pull()));
      jb.push(30 + tick, frameOf(0)); // the far end keeps sending, one packet a tick
    }
    // The speech and the gaps inside it, in order, none skipped or squeezed; the pause after it shrank
    // the backlog to the shrink depth.
    expect(out.slice(0, 20)).toEqual(sent.slice(0, 20));
    expect(jb.stats.skipped).toBe(0);
    expect(jb.stats.shrunk).toBeGreaterThan(0);
    expect(jb.depth).toBeLessThanOrEqual(6);
  });

  it('waits deeper after the stream stalls mid-playout', () => {
    const jb = new JitterBuffer({ targetPackets: 2, maxTargetPackets: 3, quietLevel: 0 });
    let seq = 0;
    const feed = () => jb.push(seq, frameOf(++seq));
    feed();
    feed();
    expect(levelOf(jb.pull())).toBe(1); // two held: the target, playout starts
    expect(levelOf(jb.pull())).toBe(2);
    expect(levelOf(jb.pull())).toBe(0); // stalled: the target goes 2 → 3
    feed();
    feed();
    expect(levelOf(jb.pull())).toBe(0); // two held are no longer enough
    feed();
    expect(levelOf(jb.pull())).toBe(3);
    // The raised target stays within its ceiling.
    for (let i = 0; i < 5; i++) jb.pull();
    feed();
    feed();
    feed();
    expect(levelOf(jb.pull())).toBe(6);
  });
});
