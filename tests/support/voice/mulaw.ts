// G.711 µ-law encode/decode (ITU-T G.711, bias 0x84, clip 32635) kept in the test harness on purpose: the
// ASR double must model the phone line independently of the media code under test.
const BIAS = 0x84;
const CLIP = 32635;

export function mulawEncodeSample(pcm: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(pcm)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function mulawDecodeSample(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

/** PCM → µ-law → PCM: what a caller's audio sounds like after one PCMU hop. */
export function mulawRoundTrip(samples: Int16Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = mulawDecodeSample(mulawEncodeSample(samples[i]!));
  return out;
}
