// PCM16 in the other shapes audio arrives or leaves in: little-endian bytes (raw vendor bodies and
// WebSocket frames), interleaved channels mixed down to mono, and floats in [-1, 1] (sherpa-onnx).

/** Little-endian PCM16 bytes to samples; a trailing odd byte (half a sample) is dropped. */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(bytes.byteLength >> 1);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** Samples as little-endian bytes (a copy, independent of the platform's endianness). */
export function pcm16ToBytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}

/**
 * Interleaved samples to mono by averaging the channels of each whole frame (speech engines work on
 * mono). One channel is returned as it is, not copied.
 */
export function mixToMono(samples: Int16Array, channels: number): Int16Array {
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`bad channel count ${channels}`);
  if (channels === 1) return samples;
  const frames = Math.floor(samples.length / channels);
  const out = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[f * channels + c]!;
    out[f] = Math.round(sum / channels);
  }
  return out;
}

/** Floats in [-1, 1) from PCM16 (full scale is 32768 so -32768 maps to exactly -1). */
export function pcm16ToFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** PCM16 from floats, clipping what lies outside [-1, 1] (synthesisers overshoot) and NaN to silence. */
export function float32ToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const v = Number.isNaN(s) ? 0 : Math.max(-1, Math.min(1, s));
    out[i] = Math.round(v < 0 ? v * 32768 : v * 32767);
  }
  return out;
}
