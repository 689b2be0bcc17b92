import { describe, expect, it } from 'vitest';
import { fromFloat32, resample, toFloat32 } from './resample.ts';

describe('resample', () => {
  it('doubles 8 kHz to 16 kHz by interpolation and halves back by averaging', () => {
    const up = resample({ samples: Int16Array.from([0, 100, 200, 300]), sampleRate: 8000 }, 16000);
    expect(up.sampleRate).toBe(16000);
    expect(Array.from(up.samples)).toEqual([0, 50, 100, 150, 200, 250, 300, 300]);
    const down = resample(up, 8000);
    expect(Array.from(down.samples)).toEqual([25, 125, 225, 300]);
  });

  it('keeps the duration of a 22 050 Hz clip going to 8 kHz and rejects nonsense rates', () => {
    const audio = { samples: new Int16Array(22050), sampleRate: 22050 };
    expect(resample(audio, 8000).samples.length).toBe(8000);
    expect(() => resample({ samples: new Int16Array(10), sampleRate: 0 }, 8000)).toThrow(
      /invalid sample rate 0/,
    );
    expect(() => resample({ samples: new Int16Array(10), sampleRate: Number.NaN }, 8000)).toThrow(RangeError);
  });

  it('converts between PCM16 and float, clipping', () => {
    expect(Array.from(toFloat32(Int16Array.from([-32768, 0, 16384])))).toEqual([-1, 0, 0.5]);
    expect(Array.from(fromFloat32(Float32Array.from([-2, -1, 0, 1, 2])))).toEqual([
      -32768, -32768, 0, 32767, 32767,
    ]);
  });
});
