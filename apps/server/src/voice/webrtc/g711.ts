// G.711 µ-law and A-law (ITU-T G.711) for the browser leg's payloads. The telephony side's codecs
// (packages/voice codecs) are being written in parallel; this leg switches to them once they land.

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

export function encodeMulawSample(pcm: number): number {
  const sign = pcm < 0 ? 0x80 : 0;
  const magnitude = Math.min(pcm < 0 ? -pcm : pcm, MULAW_CLIP) + MULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function decodeMulawSample(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + MULAW_BIAS) << exponent) - MULAW_BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

export function encodeAlawSample(pcm: number): number {
  let sign = 0x80;
  let magnitude = pcm;
  if (magnitude < 0) {
    sign = 0;
    magnitude = -magnitude - 1;
  }
  magnitude = Math.min(magnitude, 32767) >> 3;
  let code: number;
  if (magnitude < 32) code = magnitude >> 1;
  else {
    let exponent = 1;
    while (magnitude >= 64 && exponent < 7) {
      magnitude >>= 1;
      exponent++;
    }
    code = (exponent << 4) | ((magnitude >> 1) & 0x0f);
  }
  return (code | sign) ^ 0x55;
}

export function decodeAlawSample(code: number): number {
  const a = code ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

export type G711Law = 'PCMU' | 'PCMA';

export function encodeG711(law: G711Law, pcm: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(pcm.length);
  const encode = law === 'PCMU' ? encodeMulawSample : encodeAlawSample;
  for (let i = 0; i < pcm.length; i++) out[i] = encode(pcm[i] ?? 0);
  return out;
}

export function decodeG711(law: G711Law, payload: Uint8Array): Int16Array {
  const out = new Int16Array(payload.length);
  const decode = law === 'PCMU' ? decodeMulawSample : decodeAlawSample;
  for (let i = 0; i < payload.length; i++) out[i] = decode(payload[i] ?? 0);
  return out;
}
