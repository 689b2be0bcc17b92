// Recognises known audio by shape: 20 ms log-energy envelopes compared by normalised cross-correlation,
// over a range of offsets and time stretches. Gain changes shift a log envelope and do not change the
// correlation; codecs and resamplers barely touch it; silence, noise and other phrases correlate poorly.

export const ENVELOPE_FRAME_MS = 20;
const FLOOR_DB = -70;

/** Log energy (dBFS, floored at -70) of each 20 ms window. */
export function energyEnvelope(samples: Int16Array, sampleRate: number): Float64Array {
  const win = Math.max(1, Math.round((sampleRate * ENVELOPE_FRAME_MS) / 1000));
  const frames = Math.floor(samples.length / win);
  const env = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let i = f * win; i < (f + 1) * win; i++) sum += samples[i]! * samples[i]!;
    const power = sum / win / (32768 * 32768);
    env[f] = Math.max(FLOOR_DB, 10 * Math.log10(power + 1e-12));
  }
  return env;
}

/** The envelope without leading and trailing frames quieter than 40 dB below its peak. */
export function trimEnvelope(env: Float64Array): Float64Array {
  let peak = FLOOR_DB;
  for (const v of env) peak = Math.max(peak, v);
  const gate = Math.max(FLOOR_DB + 1, peak - 40);
  let start = 0;
  let end = env.length;
  while (start < end && env[start]! < gate) start++;
  while (end > start && env[end - 1]! < gate) end--;
  return env.slice(start, end);
}

function stretch(env: Float64Array, factor: number): Float64Array {
  const n = Math.max(2, Math.round(env.length * factor));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = (i * (env.length - 1)) / (n - 1);
    const lo = Math.floor(x);
    const hi = Math.min(env.length - 1, lo + 1);
    out[i] = env[lo]! + (env[hi]! - env[lo]!) * (x - lo);
  }
  return out;
}

function ncc(a: Float64Array, b: Float64Array, offset: number): number {
  // a is the (longer) haystack, b the template placed at `offset`; outside a counts as floor.
  const n = b.length;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    const j = offset + i;
    sa += j >= 0 && j < a.length ? a[j]! : FLOOR_DB;
    sb += b[i]!;
  }
  const ma = sa / n;
  const mb = sb / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    const j = offset + i;
    const x = (j >= 0 && j < a.length ? a[j]! : FLOOR_DB) - ma;
    const y = b[i]! - mb;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  // A flat window (silence, steady noise) has no shape to match.
  if (da < 1e-6 || db < 1e-6) return 0;
  return num / Math.sqrt(da * db);
}

export interface EnvelopeMatch {
  score: number;
  /** Where the template starts in the haystack, in frames (may be slightly negative). */
  offsetFrames: number;
  stretch: number;
  /** Template length after stretching, in frames. */
  lengthFrames: number;
}

export const STRETCHES = [0.85, 0.875, 0.9, 0.925, 0.95, 0.975, 1, 1.025, 1.05, 1.075, 1.1, 1.125, 1.15];

/** Best placement of `template` inside `haystack` (both envelopes), allowing a few frames over its edges. */
export function bestMatch(haystack: Float64Array, template: Float64Array, edgeFrames = 5): EnvelopeMatch {
  let best: EnvelopeMatch = { score: 0, offsetFrames: 0, stretch: 1, lengthFrames: template.length };
  if (template.length < 5) return best;
  for (const factor of STRETCHES) {
    const t = stretch(template, factor);
    for (let o = -edgeFrames; o <= haystack.length - t.length + edgeFrames; o++) {
      const score = ncc(haystack, t, o);
      if (score > best.score) best = { score, offsetFrames: o, stretch: factor, lengthFrames: t.length };
    }
  }
  return best;
}

/**
 * Share of the haystack's voiced frames (within 30 dB of its peak) that lie outside [from, to); with
 * `context`, only frames up to that many before and after the span count (a phrase inside a long
 * recording must be its own utterance, with quiet around it, not the middle of a longer one).
 */
export function voicedOutside(haystack: Float64Array, from: number, to: number, context = Infinity): number {
  let peak = FLOOR_DB;
  for (const v of haystack) peak = Math.max(peak, v);
  const gate = Math.max(FLOOR_DB + 10, peak - 30);
  const lo = Math.max(0, from - context);
  const hi = Math.min(haystack.length, to + context);
  let voiced = 0;
  let outside = 0;
  for (let i = lo; i < hi; i++) {
    if (haystack[i]! < gate) continue;
    voiced++;
    if (i < from || i >= to) outside++;
  }
  return voiced === 0 ? 0 : outside / voiced;
}
