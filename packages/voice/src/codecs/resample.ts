// Sample-rate conversion of Int16 PCM by a rational factor with a Kaiser-windowed-sinc polyphase filter,
// so downsampling (22.05/24/16/48 kHz TTS → 8 kHz telephone) does not alias; one-shot and streaming.

/** How the low-pass is laid out around the lower of the two Nyquist frequencies. */
export interface ResamplerOptions {
  /** Passband edge as a fraction of the lower Nyquist (default 0.85: 3.4 kHz at 8 kHz). */
  passband?: number;
  /** Stopband attenuation in dB (default 70). */
  attenuationDb?: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const half = x / 2;
  for (let k = 1; k < 50; k++) {
    term *= (half / k) * (half / k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/**
 * The filter for one rate pair: `phases` (= up factor L) sub-filters of `taps` coefficients each,
 * stored phase-major so one output sample reads one contiguous run.
 */
interface PolyphaseFilter {
  up: number;
  down: number;
  /** Taps per phase (K + 1): input samples that contribute to one output sample. */
  taps: number;
  /** Half the kernel length in input samples: the look-ahead (and latency) of the streaming form. */
  halfWidth: number;
  coefficients: Float32Array;
}

function designFilter(inRate: number, outRate: number, options: ResamplerOptions): PolyphaseFilter {
  const divisor = gcd(inRate, outRate);
  const up = outRate / divisor;
  const down = inRate / divisor;
  const nyquist = Math.min(inRate, outRate) / 2;
  const passEdge = nyquist * (options.passband ?? 0.85);
  const attenuation = options.attenuationDb ?? 70;
  // Kaiser's formulas: window shape from the attenuation, length from the transition width, both
  // measured at the input rate (the kernel is a function of input-sample time).
  const beta =
    attenuation > 50
      ? 0.1102 * (attenuation - 8.7)
      : 0.5842 * (attenuation - 21) ** 0.4 + 0.07886 * (attenuation - 21);
  const transition = (2 * Math.PI * (nyquist - passEdge)) / inRate;
  let kernelWidth = Math.ceil((attenuation - 8) / (2.285 * transition));
  if (kernelWidth % 2) kernelWidth++;
  const halfWidth = kernelWidth / 2;
  const cutoff = (passEdge + nyquist) / 2 / inRate; // cycles per input sample
  const betaNorm = besselI0(beta);
  const taps = kernelWidth + 1;
  const coefficients = new Float32Array(up * taps);
  for (let phase = 0; phase < up; phase++) {
    // Output at input time t = j_max - phase/up … weights for x[j_max - k], k = 0..K.
    let sum = 0;
    const row = new Float64Array(taps);
    for (let k = 0; k < taps; k++) {
      const t = k + phase / up - halfWidth; // distance from the output instant, in input samples
      if (Math.abs(t) > halfWidth) continue;
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const ratio = t / halfWidth;
      const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / betaNorm;
      row[k] = 2 * cutoff * sinc * window;
      sum += row[k]!;
    }
    // Unity DC gain in every phase, so a constant input has no ripple at the phase rate.
    for (let k = 0; k < taps; k++) coefficients[phase * taps + k] = row[k]! / sum;
  }
  return { up, down, taps, halfWidth, coefficients };
}

function assertRate(rate: number, what: string): void {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 384000) {
    throw new RangeError(`${what} sample rate must be an integer between 1000 and 384000 Hz, got ${rate}`);
  }
}

/**
 * Frame-by-frame resampler for one stream. It holds the input tail its filter still needs, so the
 * output of successive `push` calls plus `flush` equals the one-shot `resample` of the concatenation.
 */
export class StreamingResampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly filter: PolyphaseFilter;
  /** Input samples kept, starting at absolute input index `bufferStart`. */
  private buffer: Float32Array;
  private bufferStart: number;
  private bufferLength = 0;
  /** Absolute input index one past the last sample pushed. */
  private received = 0;
  /** Next output sample index. */
  private produced = 0;
  private flushed = false;

  constructor(inRate: number, outRate: number, options: ResamplerOptions = {}) {
    assertRate(inRate, 'input');
    assertRate(outRate, 'output');
    this.inRate = inRate;
    this.outRate = outRate;
    this.filter = designFilter(inRate, outRate, options);
    // Samples before the stream started count as zeros: the buffer starts halfWidth before index 0.
    this.bufferStart = -this.filter.halfWidth;
    this.buffer = new Float32Array(this.filter.taps * 4 + 4096);
    this.bufferLength = this.filter.halfWidth;
  }

  /** Feeds input samples; returns the output samples that are now fully determined. */
  push(input: Int16Array): Int16Array {
    if (this.flushed) throw new Error('resampler was flushed; create a new one for a new stream');
    this.append(input);
    return this.drain(this.received - 1);
  }

  /** Ends the stream: returns the remaining output (input treated as followed by silence). */
  flush(): Int16Array {
    if (this.flushed) return new Int16Array(0);
    this.flushed = true;
    const total = Math.ceil((this.received * this.filter.up) / this.filter.down);
    const padding = this.filter.halfWidth + 1;
    this.append(new Int16Array(padding), false);
    const out = this.drain(this.received - 1 + padding, total);
    return out;
  }

  private append(input: Int16Array, counts = true): void {
    const needed = this.bufferLength + input.length;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    for (let i = 0; i < input.length; i++) this.buffer[this.bufferLength + i] = input[i]!;
    this.bufferLength += input.length;
    if (counts) this.received += input.length;
  }

  /** Produces outputs whose newest contributing input index is ≤ lastIndex (and below `limit`). */
  private drain(lastIndex: number, limit = Number.POSITIVE_INFINITY): Int16Array {
    const { up, down, taps, halfWidth, coefficients } = this.filter;
    const out: number[] = [];
    for (;;) {
      if (this.produced >= limit) break;
      // Output n sits at input time n·down/up; the newest input it needs is floor(that + halfWidth).
      const numerator = this.produced * down + halfWidth * up;
      const newest = Math.floor(numerator / up);
      if (newest > lastIndex) break;
      const phase = numerator - newest * up;
      const base = phase * taps;
      let acc = 0;
      let idx = newest - this.bufferStart;
      for (let k = 0; k < taps; k++, idx--) {
        if (idx < 0) break;
        acc += coefficients[base + k]! * this.buffer[idx]!;
      }
      out.push(acc > 32767 ? 32767 : acc < -32768 ? -32768 : Math.round(acc));
      this.produced++;
    }
    // Drop input no future output reaches: the next output's window starts at newest - (taps - 1).
    const nextNewest = Math.floor((this.produced * down + halfWidth * up) / up);
    const keepFrom = nextNewest - (taps - 1);
    const drop = Math.min(this.bufferLength, Math.max(0, keepFrom - this.bufferStart));
    if (drop > 0) {
      this.buffer.copyWithin(0, drop, this.bufferLength);
      this.bufferLength -= drop;
      this.bufferStart += drop;
    }
    return Int16Array.from(out);
  }
}

/** Resamples a whole clip; output length is ceil(input · outRate / inRate), time-aligned with the input. */
export function resample(
  input: Int16Array,
  inRate: number,
  outRate: number,
  options?: ResamplerOptions,
): Int16Array {
  if (inRate === outRate) {
    assertRate(inRate, 'input');
    return input.slice();
  }
  const stream = new StreamingResampler(inRate, outRate, options);
  const head = stream.push(input);
  const tail = stream.flush();
  const out = new Int16Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
