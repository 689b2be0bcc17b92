// ITU-T G.711 µ-law and A-law: 16-bit linear PCM to 8-bit codes and back, table-driven in both directions.
import type { AudioCodec } from '../types.ts';

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

/** Encodes one linear sample (clamped to int16) as a µ-law byte. */
export function linearToMuLaw(sample: number): number {
  let pcm = Math.max(-32768, Math.min(32767, Math.trunc(sample)));
  const sign = pcm < 0 ? 0x80 : 0;
  if (sign) pcm = -pcm;
  if (pcm > MULAW_CLIP) pcm = MULAW_CLIP;
  pcm += MULAW_BIAS;
  // The segment is the position of the highest set bit above bit 7 (pcm is at least 0x84 here).
  const exponent = 31 - Math.clz32(pcm) - 7;
  const mantissa = (pcm >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Decodes one µ-law byte to a linear sample. */
export function muLawToLinear(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = (((u & 0x0f) << 3) + MULAW_BIAS) << exponent;
  const sample = magnitude - MULAW_BIAS;
  return u & 0x80 ? 0 - sample : sample; // 0 - x, not -x: no negative zero
}

/** Encodes one linear sample (clamped to int16) as an A-law byte. */
export function linearToALaw(sample: number): number {
  // A-law works on 13-bit magnitudes; negative values are one's-complemented so -1 and 0 share a code pair.
  let pcm = Math.max(-32768, Math.min(32767, Math.trunc(sample))) >> 3;
  let mask: number;
  if (pcm >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const segment = pcm < 0x20 ? 0 : 31 - Math.clz32(pcm) - 4;
  if (segment >= 8) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (pcm >> 1) & 0x0f : (pcm >> segment) & 0x0f;
  return ((segment << 4) | mantissa) ^ mask;
}

/** Decodes one A-law byte to a linear sample. */
export function aLawToLinear(code: number): number {
  const a = (code ^ 0x55) & 0xff;
  const segment = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  if (segment === 0) magnitude += 8;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

// Lookup tables: 256 entries to decode, 65 536 to encode (indexed by the sample as uint16). Built once
// when the module loads and never written afterwards.
function buildDecodeTable(decode: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = decode(code);
  return table;
}

function buildEncodeTable(encode: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = encode(i < 32768 ? i : i - 65536);
  return table;
}

const MULAW_DECODE = buildDecodeTable(muLawToLinear);
const ALAW_DECODE = buildDecodeTable(aLawToLinear);
const MULAW_ENCODE = buildEncodeTable(linearToMuLaw);
const ALAW_ENCODE = buildEncodeTable(linearToALaw);

function encodeWith(table: Uint8Array, pcm: Int16Array, out?: Uint8Array): Uint8Array {
  const codes = out ?? new Uint8Array(pcm.length);
  if (codes.length < pcm.length) throw new RangeError('G.711 output buffer is shorter than the input');
  for (let i = 0; i < pcm.length; i++) codes[i] = table[pcm[i]! & 0xffff]!;
  return codes;
}

function decodeWith(table: Int16Array, codes: Uint8Array, out?: Int16Array): Int16Array {
  const pcm = out ?? new Int16Array(codes.length);
  if (pcm.length < codes.length) throw new RangeError('G.711 output buffer is shorter than the input');
  for (let i = 0; i < codes.length; i++) pcm[i] = table[codes[i]!]!;
  return pcm;
}

export function encodeMuLaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  return encodeWith(MULAW_ENCODE, pcm, out);
}

export function decodeMuLaw(codes: Uint8Array, out?: Int16Array): Int16Array {
  return decodeWith(MULAW_DECODE, codes, out);
}

export function encodeALaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  return encodeWith(ALAW_ENCODE, pcm, out);
}

export function decodeALaw(codes: Uint8Array, out?: Int16Array): Int16Array {
  return decodeWith(ALAW_DECODE, codes, out);
}

/** Encode/decode pair for a negotiated codec, plus the byte that decodes to (near) silence. */
export interface G711Codec {
  readonly name: AudioCodec;
  /** The code for a zero sample: what a silent payload is filled with. */
  readonly silence: number;
  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array;
  decode(codes: Uint8Array, out?: Int16Array): Int16Array;
}

const PCMU: G711Codec = { name: 'PCMU', silence: 0xff, encode: encodeMuLaw, decode: decodeMuLaw };
const PCMA: G711Codec = { name: 'PCMA', silence: 0xd5, encode: encodeALaw, decode: decodeALaw };

export function g711Codec(name: AudioCodec): G711Codec {
  if (name === 'PCMU') return PCMU;
  if (name === 'PCMA') return PCMA;
  throw new Error(`unsupported audio codec: ${String(name)}`);
}
