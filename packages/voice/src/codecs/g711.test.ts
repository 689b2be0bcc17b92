import { describe, expect, it } from 'vitest';
import {
  aLawToLinear,
  decodeALaw,
  decodeMuLaw,
  encodeALaw,
  encodeMuLaw,
  g711Codec,
  linearToALaw,
  linearToMuLaw,
  muLawToLinear,
} from './g711.ts';

// Reference vectors from docs/voice-groundwork.md §5 (ITU tables as produced by alawmulaw).
const PCM = [0, 1, -1, 100, -100, 1000, -1000, 8000, -8000, 32767, -32768];
const MULAW = [0xff, 0xff, 0x7f, 0xf2, 0x72, 0xce, 0x4e, 0xa0, 0x20, 0x80, 0x00];
const MULAW_BACK = [0, 0, 0, 104, -104, 988, -988, 7932, -7932, 32124, -32124];
const ALAW = [0xd5, 0xd5, 0x55, 0xd3, 0x53, 0xfa, 0x7a, 0x8a, 0x0a, 0xaa, 0x2a];
const ALAW_BACK = [8, 8, -8, 104, -104, 1008, -1008, 8064, -8064, 32256, -32256];

describe('G.711', () => {
  it('encodes and decodes the µ-law reference vectors', () => {
    expect(PCM.map(linearToMuLaw)).toEqual(MULAW);
    expect(MULAW.map(muLawToLinear)).toEqual(MULAW_BACK);
    expect([...encodeMuLaw(Int16Array.from(PCM))]).toEqual(MULAW);
    expect([...decodeMuLaw(Uint8Array.from(MULAW))]).toEqual(MULAW_BACK);
  });

  it('encodes and decodes the A-law reference vectors', () => {
    expect(PCM.map(linearToALaw)).toEqual(ALAW);
    expect(ALAW.map(aLawToLinear)).toEqual(ALAW_BACK);
    expect([...encodeALaw(Int16Array.from(PCM))]).toEqual(ALAW);
    expect([...decodeALaw(Uint8Array.from(ALAW))]).toEqual(ALAW_BACK);
  });

  it('is idempotent on decoded values and monotonic over the whole range', () => {
    for (const codec of [g711Codec('PCMU'), g711Codec('PCMA')]) {
      const all = new Int16Array(65536);
      for (let i = 0; i < 65536; i++) all[i] = i - 32768;
      const decoded = codec.decode(codec.encode(all));
      let nonMonotonic = 0;
      let tooFar = 0;
      for (let i = 0; i < decoded.length; i++) {
        if (i > 0 && decoded[i]! < decoded[i - 1]!) nonMonotonic++;
        // Quantisation error stays within half the largest step (and is tiny near zero).
        if (Math.abs(decoded[i]! - all[i]!) > (Math.abs(all[i]!) < 256 ? 8 : 1024)) tooFar++;
      }
      expect({ nonMonotonic, tooFar }).toEqual({ nonMonotonic: 0, tooFar: 0 });
      // Re-encoding a decoded value gives a code that decodes to the same value.
      const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
      expect(codec.decode(codec.encode(codec.decode(codes)))).toEqual(codec.decode(codes));
      expect(codec.decode(Uint8Array.of(codec.silence))[0]!).toBeLessThanOrEqual(8);
    }
  });

  it('rejects an unknown codec and a short output buffer', () => {
    expect(() => g711Codec('G722' as never)).toThrow(/unsupported/);
    expect(() => encodeMuLaw(new Int16Array(4), new Uint8Array(2))).toThrow(RangeError);
  });
});
