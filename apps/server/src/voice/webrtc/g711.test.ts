import { describe, expect, it } from 'vitest';
import { decodeG711, encodeG711 } from './g711.ts';

// Reference vectors from the ITU tables (docs/voice-groundwork.md §5).
const pcm = Int16Array.from([0, 1, -1, 100, -100, 1000, -1000, 8000, -8000, 32767, -32768]);

describe('G.711', () => {
  it('encodes and decodes µ-law like the reference', () => {
    const codes = encodeG711('PCMU', pcm);
    expect([...codes].map((c) => c.toString(16))).toEqual([
      'ff',
      'ff',
      '7f',
      'f2',
      '72',
      'ce',
      '4e',
      'a0',
      '20',
      '80',
      '0',
    ]);
    expect([...decodeG711('PCMU', codes)]).toEqual([
      0, 0, 0, 104, -104, 988, -988, 7932, -7932, 32124, -32124,
    ]);
  });

  it('encodes and decodes A-law like the reference', () => {
    const codes = encodeG711('PCMA', pcm);
    expect([...codes].map((c) => c.toString(16))).toEqual([
      'd5',
      'd5',
      '55',
      'd3',
      '53',
      'fa',
      '7a',
      '8a',
      'a',
      'aa',
      '2a',
    ]);
    expect([...decodeG711('PCMA', codes)]).toEqual([
      8, 8, -8, 104, -104, 1008, -1008, 8064, -8064, 32256, -32256,
    ]);
  });
});
