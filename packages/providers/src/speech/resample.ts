// Sample-rate conversion for what vendors require (16 kHz uploads, 8 kHz telephone engines). Linear
// interpolation with a short averaging window when going down: speech recognisers tolerate it, and it keeps
// the providers package free of native DSP code.
import type { PcmAudio } from '@zhike/voice';

/** Rates outside this range are malformed input, not audio. */
const MAX_RATE = 384_000;

export function resample(audio: PcmAudio, targetRate: number): PcmAudio {
  const { samples, sampleRate } = audio;
  for (const rate of [sampleRate, targetRate])
    if (!Number.isInteger(rate) || rate < 1000 || rate > MAX_RATE)
      throw new RangeError(`invalid sample rate ${rate}`);
  if (sampleRate === targetRate || samples.length === 0) return { samples, sampleRate: targetRate };
  const ratio = sampleRate / targetRate;
  const length = Math.floor(samples.length / ratio);
  const out = new Int16Array(length);
  // Downsampling averages the source samples each output sample covers (a box filter against aliasing).
  const window = ratio > 1 ? Math.floor(ratio) : 1;
  for (let i = 0; i < length; i++) {
    const position = i * ratio;
    let value: number;
    if (window > 1) {
      const first = Math.floor(position);
      let sum = 0;
      let count = 0;
      for (let k = first; k < first + window && k < samples.length; k++) {
        sum += samples[k]!;
        count++;
      }
      value = sum / count;
    } else {
      const left = Math.floor(position);
      const right = Math.min(left + 1, samples.length - 1);
      const fraction = position - left;
      value = samples[left]! * (1 - fraction) + samples[right]! * fraction;
    }
    out[i] = Math.max(-32768, Math.min(32767, Math.round(value)));
  }
  return { samples: out, sampleRate: targetRate };
}

/** Float samples in [-1, 1] (what sherpa-onnx takes) from PCM16. */
export function toFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** PCM16 from float samples, clipping what lies outside [-1, 1]. */
export function fromFloat32(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = Math.round(v < 0 ? v * 32768 : v * 32767);
  }
  return out;
}
