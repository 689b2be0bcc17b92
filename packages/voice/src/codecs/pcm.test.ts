import { describe, expect, it } from 'vitest';
import { float32ToPcm16, mixToMono, pcm16FromBytes, pcm16ToBytes, pcm16ToFloat32 } from './pcm.ts';

describe('PCM16 conversions', () => {
  it('round-trips little-endian bytes, dropping half a trailing sample, from any byte offset', () => {
    const samples = Int16Array.of(0, 1, -1, 32767, -32768, 0x1234);
    const bytes = pcm16ToBytes(samples);
    expect([...bytes.subarray(10)]).toEqual([0x34, 0x12]);
    expect(pcm16FromBytes(bytes)).toEqual(samples);
    expect([...pcm16FromBytes(bytes.subarray(0, 5))]).toEqual([0, 1]);
    // A Buffer from the pool sits at an odd offset of its ArrayBuffer: the read must not assume alignment.
    const shifted = Buffer.concat([Buffer.of(9), bytes]).subarray(1);
    expect(pcm16FromBytes(shifted)).toEqual(samples);
  });

  it('mixes interleaved channels to mono by averaging whole frames', () => {
    expect([...mixToMono(Int16Array.of(100, 300, -10, -30, 7), 2)]).toEqual([200, -20]);
    expect([...mixToMono(Int16Array.of(32767, 32767, 32767, -32768, -32768, -32768), 3)]).toEqual([
      32767, -32768,
    ]);
    const mono = Int16Array.of(1, 2);
    expect(mixToMono(mono, 1)).toBe(mono);
    expect(() => mixToMono(mono, 0)).toThrow(RangeError);
    expect(() => mixToMono(mono, 1.5)).toThrow(RangeError);
  });

  it('converts to and from floats, clipping overshoot and silencing NaN', () => {
    expect([...pcm16ToFloat32(Int16Array.of(-32768, 0, 16384))]).toEqual([-1, 0, 0.5]);
    expect([...float32ToPcm16(Float32Array.of(-2, -1, 0, 0.5, 1, 2, Number.NaN))]).toEqual([
      -32768, -32768, 0, 16384, 32767, 32767, 0,
    ]);
  });
});
