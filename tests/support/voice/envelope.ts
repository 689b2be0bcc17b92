// Recognises known audio by shape: per 20 ms frame, the log energy of the whole frame and of four
// telephone-band slices (200–3400 Hz), compared by normalised cross-correlation over a range of offsets
// and time stretches. Gain changes shift log envelopes and do not change the correlation; G.711 and
// resamplers barely touch them; silence, noise and other phrases correlate poorly, and the band slices
// tell apart phrases whose loudness contours alike (已发货 / 待发货).

export const ENVELOPE_FRAME_MS = 20;
const FLOOR_DB = -70;
/** Band edges in Hz; band 0 of an envelope is the whole frame's energy. */
const BANDS: Array<[number, number]> = [
  [200, 600],
  [600, 1200],
  [1200, 2200],
  [2200, 3400],
];
const BIN_HZ = 100;

/** Log-energy envelopes, dBFS floored at -70: [whole frame, band 1, …, band 4], each one value per frame. */
export type Envelope = Float64Array[];

function db(power: number) {
  return Math.max(FLOOR_DB, 10 * Math.log10(power + 1e-12));
}

export function energyEnvelope(samples: Int16Array, sampleRate: number): Envelope {
  const win = Math.max(1, Math.round((sampleRate * ENVELOPE_FRAME_MS) / 1000));
  const frames = Math.floor(samples.length / win);
  const hann = new Float64Array(win).map((_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / win));
  // One DFT bin every 100 Hz over the band range; cos/sin tables per bin.
  const bins: Array<{ band: number; cos: Float64Array; sin: Float64Array }> = [];
  BANDS.forEach(([lo, hi], band) => {
    for (let f = lo; f < hi && f < sampleRate / 2; f += BIN_HZ) {
      const w = (2 * Math.PI * f) / sampleRate;
      bins.push({
        band,
        cos: new Float64Array(win).map((_, i) => Math.cos(w * i) * hann[i]!),
        sin: new Float64Array(win).map((_, i) => Math.sin(w * i) * hann[i]!),
      });
    }
  });
  const out: Envelope = [new Float64Array(frames), ...BANDS.map(() => new Float64Array(frames))];
  const bandPower = new Float64Array(BANDS.length);
  const scale = 32768 * 32768 * win * win;
  for (let f = 0; f < frames; f++) {
    const base = f * win;
    let sum = 0;
    for (let i = 0; i < win; i++) sum += samples[base + i]! * samples[base + i]!;
    out[0]![f] = db(sum / win / (32768 * 32768));
    bandPower.fill(0);
    for (const b of bins) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < win; i++) {
        const s = samples[base + i]!;
        re += s * b.cos[i]!;
        im += s * b.sin[i]!;
      }
      bandPower[b.band]! += (re * re + im * im) / scale;
    }
    for (let k = 0; k < BANDS.length; k++) out[k + 1]![f] = db(bandPower[k]!);
  }
  return out;
}

export function envelopeFrames(env: Envelope): number {
  return env[0]!.length;
}

/** The envelope without leading and trailing frames quieter than 40 dB below its peak (whole-frame energy). */
export function trimEnvelope(env: Envelope): Envelope {
  const total = env[0]!;
  let peak = FLOOR_DB;
  for (const v of total) peak = Math.max(peak, v);
  const gate = Math.max(FLOOR_DB + 1, peak - 40);
  let start = 0;
  let end = total.length;
  while (start < end && total[start]! < gate) start++;
  while (end > start && total[end - 1]! < gate) end--;
  return env.map((band) => band.slice(start, end));
}

function stretch(band: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = (i * (band.length - 1)) / (n - 1);
    const lo = Math.floor(x);
    const hi = Math.min(band.length - 1, lo + 1);
    out[i] = band[lo]! + (band[hi]! - band[lo]!) * (x - lo);
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
  let db2 = 0;
  for (let i = 0; i < n; i++) {
    const j = offset + i;
    const x = (j >= 0 && j < a.length ? a[j]! : FLOOR_DB) - ma;
    const y = b[i]! - mb;
    num += x * y;
    da += x * x;
    db2 += y * y;
  }
  // A flat window (silence, steady noise) has no shape to match.
  if (da < 1e-6 || db2 < 1e-6) return 0;
  return num / Math.sqrt(da * db2);
}

export interface EnvelopeMatch {
  /** Mean correlation over the whole-frame and band envelopes. */
  score: number;
  /** Where the template starts in the haystack, in frames (may be slightly negative). */
  offsetFrames: number;
  stretch: number;
  /** Template length after stretching, in frames. */
  lengthFrames: number;
}

export const STRETCHES = [0.85, 0.875, 0.9, 0.925, 0.95, 0.975, 1, 1.025, 1.05, 1.075, 1.1, 1.125, 1.15];

/**
 * Best placement of `template` inside `haystack`, allowing a few frames over its edges. The placement
 * is searched on the whole-frame envelope (cheap), then the best few are scored on every band.
 */
export function bestMatch(haystack: Envelope, template: Envelope, edgeFrames = 5): EnvelopeMatch {
  let best: EnvelopeMatch = { score: 0, offsetFrames: 0, stretch: 1, lengthFrames: envelopeFrames(template) };
  const m = envelopeFrames(template);
  if (m < 5) return best;
  const h0 = haystack[0]!;
  const shortlist: Array<{ coarse: number; o: number; factor: number; n: number }> = [];
  for (const factor of STRETCHES) {
    const n = Math.max(2, Math.round(m * factor));
    const t0 = stretch(template[0]!, n);
    for (let o = -edgeFrames; o <= h0.length - n + edgeFrames; o++) {
      const coarse = ncc(h0, t0, o);
      if (coarse > 0.5) shortlist.push({ coarse, o, factor, n });
    }
  }
  shortlist.sort((a, b) => b.coarse - a.coarse);
  for (const c of shortlist.slice(0, 40)) {
    const stretched = template.map((band) => stretch(band, c.n));
    let sum = 0;
    for (let k = 0; k < template.length; k++) sum += ncc(haystack[k]!, stretched[k]!, c.o);
    const whole = sum / template.length;
    if (whole <= best.score) continue;
    const score = Math.min(whole, weakestWindow(haystack, stretched, c.o));
    if (score > best.score) best = { score, offsetFrames: c.o, stretch: c.factor, lengthFrames: c.n };
  }
  return best;
}

const WINDOW_FRAMES = 25;

/**
 * The lowest band-averaged correlation over 500 ms windows of the placed template: a phrase differing
 * from the template in one word (待发货 for 已发货) correlates well as a whole but not in that word's
 * window. Windows where the template is silent are skipped.
 */
function weakestWindow(haystack: Envelope, template: Envelope, offset: number): number {
  const n = template[0]!.length;
  if (n <= WINDOW_FRAMES) return 1;
  let weakest = 1;
  for (let start = 0; start + WINDOW_FRAMES <= n; start += 5) {
    let peak = FLOOR_DB;
    for (let i = start; i < start + WINDOW_FRAMES; i++) peak = Math.max(peak, template[0]![i]!);
    if (peak < FLOOR_DB + 20) continue;
    let sum = 0;
    for (let k = 0; k < template.length; k++) {
      sum += ncc(haystack[k]!, template[k]!.subarray(start, start + WINDOW_FRAMES), offset + start);
    }
    weakest = Math.min(weakest, sum / template.length);
  }
  return weakest;
}

/**
 * Share of the haystack's voiced frames (within 30 dB of its peak) that lie outside [from, to); with
 * `context`, only frames up to that many before and after the span count (a phrase inside a long
 * recording must be its own utterance, with quiet around it, not the middle of a longer one).
 */
export function voicedOutside(haystack: Envelope, from: number, to: number, context = Infinity): number {
  const total = haystack[0]!;
  let peak = FLOOR_DB;
  for (const v of total) peak = Math.max(peak, v);
  const gate = Math.max(FLOOR_DB + 10, peak - 30);
  const lo = Math.max(0, from - context);
  const hi = Math.min(total.length, to + context);
  let voiced = 0;
  let outside = 0;
  for (let i = lo; i < hi; i++) {
    if (total[i]! < gate) continue;
    voiced++;
    if (i < from || i >= to) outside++;
  }
  return voiced === 0 ? 0 : outside / voiced;
}
