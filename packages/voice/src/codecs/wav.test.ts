import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deinterleave, interleave, readMonoWav, readWav, WavFormatError, writeWav } from './wav.ts';

const hasEspeak = spawnSync('espeak-ng', ['--version']).status === 0;

describe('WAV', () => {
  it('round-trips mono and stereo at any rate', () => {
    const mono = { sampleRate: 22050, channels: 1, samples: Int16Array.from([0, 1, -1, 32767, -32768]) };
    expect(readWav(writeWav(mono))).toEqual(mono);
    const stereo = { sampleRate: 8000, channels: 2, samples: Int16Array.from([1, -1, 2, -2, 3, -3]) };
    const back = readWav(writeWav(stereo));
    expect(back).toEqual(stereo);
    expect(deinterleave(back.samples, 2).map((c) => [...c])).toEqual([
      [1, 2, 3],
      [-1, -2, -3],
    ]);
    expect([...interleave([Int16Array.of(1, 2), Int16Array.of(9)])]).toEqual([1, 9, 2, 0]);
  });

  it('reads streamed sizes, skips unknown chunks (with pad bytes) and ignores a trailing odd byte', () => {
    const canonical = writeWav({ sampleRate: 16000, channels: 1, samples: Int16Array.of(5, 6, 7) });
    const streamed = Buffer.from(canonical);
    streamed.writeUInt32LE(0x7fffffff, 4);
    streamed.writeUInt32LE(0x7fffffff, 40);
    expect([...readWav(Buffer.concat([streamed, Buffer.of(1)])).samples]).toEqual([5, 6, 7]);

    const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.of(3, 0, 0, 0, 0x61, 0x62, 0x63, 0)]);
    const withList = Buffer.concat([canonical.subarray(0, 36), list, canonical.subarray(36)]);
    expect([...readWav(withList).samples]).toEqual([5, 6, 7]);
  });

  it('reads any WAV as mono for speech engines, averaging the channels', () => {
    const stereo = writeWav({ sampleRate: 8000, channels: 2, samples: Int16Array.of(100, 300, -10, -30) });
    expect(stereo.readUInt32LE(40)).toBe(8);
    expect(readMonoWav(stereo)).toEqual({ sampleRate: 8000, samples: Int16Array.of(200, -20) });
    const mono = writeWav({ sampleRate: 16000, channels: 1, samples: Int16Array.of(5, -5) });
    expect(readMonoWav(mono)).toEqual({ sampleRate: 16000, samples: Int16Array.of(5, -5) });
    expect(() => readMonoWav(Buffer.from('hello world, not a wav'))).toThrow(WavFormatError);
  });

  it('rejects what it cannot read with a clear error', () => {
    const good = writeWav({ sampleRate: 8000, channels: 1, samples: Int16Array.of(1) });
    expect(() => readWav(Buffer.from('hello'))).toThrow(WavFormatError);
    expect(() => readWav(Buffer.from('RIFF\0\0\0\0AVI LIST'))).toThrow(/RIFF\/WAVE/);
    const float = Buffer.from(good);
    float.writeUInt16LE(3, 20);
    expect(() => readWav(float)).toThrow(/encoding 0x3/);
    const eightBit = Buffer.from(good);
    eightBit.writeUInt16LE(8, 34);
    expect(() => readWav(eightBit)).toThrow(/8 bits/);
    expect(() => readWav(good.subarray(0, 30))).toThrow(/truncated/);
    expect(() => readWav(good.subarray(0, 36))).toThrow(/no data chunk/);
    const dataFirst = Buffer.concat([good.subarray(0, 12), good.subarray(36)]);
    expect(() => readWav(dataFirst)).toThrow(/before fmt/);
    expect(() => writeWav({ sampleRate: 8000, channels: 2, samples: Int16Array.of(1) })).toThrow(RangeError);
  });

  it.skipIf(!hasEspeak)("reads espeak-ng's --stdout WAV (streamed size fields)", () => {
    const run = spawnSync('espeak-ng', ['-v', 'en-us', '--stdout', 'hello'], { maxBuffer: 16 << 20 });
    expect(run.status).toBe(0);
    const wav = readWav(run.stdout);
    expect(wav.sampleRate).toBe(22050);
    expect(wav.channels).toBe(1);
    expect(wav.samples.length).toBeGreaterThan(22050 * 0.2);
    expect(Math.max(...wav.samples.map(Math.abs))).toBeGreaterThan(1000);
  });
});
