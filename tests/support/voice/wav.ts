// WAV files for the voice tests (read and written by the product's codec in @zhike/voice) plus loudness
// measures, so tests can check what a SIP client heard without parsing sox output.
import { readFileSync } from 'node:fs';
import { readWav as readWavBytes, type WavAudio, writeWav } from '@zhike/voice';

/** Interleaved signed 16-bit samples with their rate and channel count. */
export type Wav = WavAudio;

/**
 * Parses a PCM S16LE WAV with the product's reader, so tests read what the product writes the same way;
 * it takes streamed sizes (baresip's sndfile while recording, espeak-ng --stdout) and throws a clear
 * WavFormatError for anything else (float, 8-bit, truncated headers).
 */
export function parseWav(buf: Buffer): Wav {
  return readWavBytes(buf);
}

export function readWav(path: string): Wav {
  return parseWav(readFileSync(path));
}

/** Mono PCM S16LE WAV bytes. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  return writeWav({ samples, sampleRate, channels: 1 });
}

/** First channel of a WAV (baresip and our clips are mono; this keeps callers honest if not). */
export function monoSamples(wav: Wav): Int16Array {
  if (wav.channels === 1) return wav.samples;
  const out = new Int16Array(Math.floor(wav.samples.length / wav.channels));
  for (let i = 0; i < out.length; i++) out[i] = wav.samples[i * wav.channels]!;
  return out;
}

/** Root mean square on the 0..1 scale (full-scale square wave = 1). */
export function rms(samples: Int16Array, from = 0, to = samples.length): number {
  const end = Math.min(to, samples.length);
  if (end <= from) return 0;
  let sum = 0;
  for (let i = from; i < end; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / (end - from)) / 32768;
}

/** Seconds of audio whose 20 ms windows are louder than `threshold` RMS (speech, not line noise). */
export function voicedSeconds(samples: Int16Array, sampleRate: number, threshold = 0.01): number {
  const win = Math.round(sampleRate / 50);
  let voiced = 0;
  for (let i = 0; i + win <= samples.length; i += win) if (rms(samples, i, i + win) > threshold) voiced++;
  return voiced / 50;
}
