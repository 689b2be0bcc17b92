import { describe, expect, it } from 'vitest';
import { resample, StreamingResampler } from './resample.ts';

function tone(freq: number, rate: number, seconds: number, amplitude = 10000): Int16Array {
  const n = Math.round(rate * seconds);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

/** RMS over the middle half, away from the edges where the filter sees zeros. */
function rms(samples: Int16Array): number {
  const from = Math.floor(samples.length / 4);
  const to = Math.floor((samples.length * 3) / 4);
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / (to - from));
}

const db = (ratio: number) => 20 * Math.log10(ratio);
const inputRms = 10000 / Math.SQRT2;

describe('resample', () => {
  it('keeps a 3 kHz tone and attenuates a 5 kHz tone by at least 30 dB going 16 kHz → 8 kHz', () => {
    const kept = resample(tone(3000, 16000, 0.5), 16000, 8000);
    expect(kept.length).toBe(4000);
    expect(Math.abs(db(rms(kept) / inputRms))).toBeLessThan(1);
    const aliased = resample(tone(5000, 16000, 0.5), 16000, 8000);
    expect(db(rms(aliased) / inputRms)).toBeLessThan(-30);
  });

  it.each([22050, 24000, 48000])('downsamples %i Hz to 8 kHz without aliasing', (rate) => {
    const kept = resample(tone(1000, rate, 0.5), rate, 8000);
    expect(kept.length).toBe(4000);
    expect(Math.abs(db(rms(kept) / inputRms))).toBeLessThan(0.5);
    for (const f of [4600, 6000, 9000]) {
      expect(db(rms(resample(tone(f, rate, 0.5), rate, 8000)) / inputRms)).toBeLessThan(-30);
    }
  });

  it('keeps the waveform (not just the level): a resampled tone matches the tone made at the new rate', () => {
    const down = resample(tone(440, 22050, 0.3), 22050, 8000);
    const reference = tone(440, 8000, 0.3);
    let maxErr = 0;
    for (let i = 200; i < down.length - 200; i++)
      maxErr = Math.max(maxErr, Math.abs(down[i]! - reference[i]!));
    expect(maxErr).toBeLessThan(150); // ≈ -36 dB of the amplitude: aligned in time, no delay
  });

  it('upsamples 8 kHz → 16 kHz and 48 kHz keeping the band and suppressing images', () => {
    for (const rate of [16000, 48000]) {
      const up = resample(tone(1000, 8000, 0.5), 8000, rate);
      expect(up.length).toBe(rate / 2);
      expect(Math.abs(db(rms(up) / inputRms))).toBeLessThan(0.5);
      const reference = tone(1000, rate, 0.5);
      let maxErr = 0;
      for (let i = rate / 10; i < up.length - rate / 10; i++)
        maxErr = Math.max(maxErr, Math.abs(up[i]! - reference[i]!));
      expect(maxErr).toBeLessThan(150);
    }
  });

  it('streams frame by frame with the same result as one shot', () => {
    const input = tone(700, 22050, 0.4);
    const whole = resample(input, 22050, 8000);
    const stream = new StreamingResampler(22050, 8000);
    const parts: Int16Array[] = [];
    const sizes = [1, 441, 7, 1000, 3, 2205, 0];
    for (let offset = 0, i = 0; offset < input.length; i++) {
      const size = sizes[i % sizes.length]!;
      parts.push(stream.push(input.subarray(offset, offset + size)));
      offset += size;
    }
    parts.push(stream.flush());
    const joined = Int16Array.from(parts.flatMap((p) => [...p]));
    expect(joined).toEqual(whole);
    expect(() => stream.push(input)).toThrow(/flushed/);
  });

  it('copies when the rates match and rejects bad rates', () => {
    const input = Int16Array.of(1, 2, 3);
    const same = resample(input, 8000, 8000);
    expect(same).toEqual(input);
    expect(same).not.toBe(input);
    expect(() => resample(input, 0, 8000)).toThrow(RangeError);
    expect(() => new StreamingResampler(8000, 44100.5)).toThrow(RangeError);
  });
});
