// Minimal RIFF/WAVE reader and writer for 16-bit PCM, plus loudness measures, so tests can check what
// a SIP client heard without parsing sox output.
import { readFileSync } from 'node:fs';

export interface Wav {
  sampleRate: number;
  channels: number;
  /** Interleaved signed 16-bit samples. */
  samples: Int16Array;
}

/** Parses a PCM S16LE WAV; throws a clear error for anything else (float, 8-bit, truncated headers). */
export function parseWav(buf: Buffer): Wav {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    let size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw new Error('WAV fmt chunk too short');
      fmt = {
        format: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bits: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV data chunk before fmt chunk');
      // WAVE_FORMAT_PCM (1) or WAVE_FORMAT_EXTENSIBLE (0xfffe) carrying 16-bit PCM.
      if ((fmt.format !== 1 && fmt.format !== 0xfffe) || fmt.bits !== 16) {
        throw new Error(`unsupported WAV encoding (format ${fmt.format}, ${fmt.bits} bits); need PCM S16`);
      }
      if (fmt.channels < 1) throw new Error('WAV has no channels');
      // Writers that stream (baresip's sndfile while recording, espeak-ng --stdout) leave the size
      // unset or too large: take what is there.
      if (size === 0 || size === 0xffffffff || body + size > buf.length) size = buf.length - body;
      const count = Math.floor(size / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = buf.readInt16LE(body + i * 2);
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV has no data chunk');
}

export function readWav(path: string): Wav {
  return parseWav(readFileSync(path));
}

/** Mono PCM S16LE WAV bytes. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const buf = Buffer.alloc(44 + samples.length * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + samples.length * 2, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) buf.writeInt16LE(samples[i]!, 44 + i * 2);
  return buf;
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
