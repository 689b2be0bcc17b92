// WAV (RIFF, PCM 16-bit, any channel count and rate) reading and writing; reading tolerates streamed
// headers (espeak-ng --stdout writes 0x7fffffff/0xffffffff sizes) and odd chunk layouts.
import type { PcmAudio } from '../types.ts';
import { mixToMono } from './pcm.ts';

export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved samples (frame-major: L R L R … for stereo). */
  samples: Int16Array;
}

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
// Sizes that mean "unknown, read to the end" in streamed WAVs.
const STREAMED_SIZES = new Set([0x7fffffff, 0xffffffff]);

function fourcc(buf: Buffer, offset: number): string {
  return buf.toString('latin1', offset, offset + 4);
}

/** Parses a PCM16 WAV file held in memory. Throws WavFormatError with the reason when it is not one. */
export function readWav(input: Uint8Array): WavAudio {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (buf.length < 12) throw new WavFormatError('too short for a RIFF header');
  if (fourcc(buf, 0) !== 'RIFF' || fourcc(buf, 8) !== 'WAVE')
    throw new WavFormatError('not a RIFF/WAVE file');
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number; blockAlign: number } | undefined;
  while (offset + 8 <= buf.length) {
    const id = fourcc(buf, offset);
    const declared = buf.readUInt32LE(offset + 4);
    const bodyStart = offset + 8;
    if (id === 'fmt ') {
      if (declared < 16 || bodyStart + 16 > buf.length) throw new WavFormatError('fmt chunk is truncated');
      let tag = buf.readUInt16LE(bodyStart);
      const channels = buf.readUInt16LE(bodyStart + 2);
      const sampleRate = buf.readUInt32LE(bodyStart + 4);
      const blockAlign = buf.readUInt16LE(bodyStart + 12);
      const bits = buf.readUInt16LE(bodyStart + 14);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        if (declared < 40 || bodyStart + 26 > buf.length)
          throw new WavFormatError('extensible fmt chunk is truncated');
        tag = buf.readUInt16LE(bodyStart + 24); // first two bytes of the SubFormat GUID
      }
      if (tag !== WAVE_FORMAT_PCM)
        throw new WavFormatError(`unsupported WAV encoding 0x${tag.toString(16)} (PCM only)`);
      if (bits !== 16) throw new WavFormatError(`unsupported sample size ${bits} bits (16 only)`);
      if (channels < 1 || channels > 8) throw new WavFormatError(`unsupported channel count ${channels}`);
      if (sampleRate < 1000 || sampleRate > 384000)
        throw new WavFormatError(`implausible sample rate ${sampleRate}`);
      if (blockAlign !== channels * 2)
        throw new WavFormatError(`block align ${blockAlign} does not match ${channels} channels`);
      format = { channels, sampleRate, bits, blockAlign };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('data chunk before fmt chunk');
      const available = buf.length - bodyStart;
      // A streamed writer cannot know the size; 0 there means the same when bytes follow.
      const unknown = STREAMED_SIZES.has(declared) || declared === 0 || declared > available;
      const size = unknown ? available : declared;
      const frames = Math.floor(size / format.blockAlign);
      const samples = new Int16Array(frames * format.channels);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(bodyStart + i * 2);
      return { sampleRate: format.sampleRate, channels: format.channels, samples };
    }
    if (STREAMED_SIZES.has(declared)) {
      throw new WavFormatError(`chunk '${id}' has an unknown size before the data chunk`);
    }
    // Chunks are word-aligned: an odd-sized body is followed by a pad byte.
    offset = bodyStart + declared + (declared & 1);
  }
  throw new WavFormatError(format ? 'no data chunk' : 'no fmt chunk');
}

/** Parses a PCM16 WAV and mixes its channels down to mono, the shape speech engines take and give. */
export function readMonoWav(input: Uint8Array): PcmAudio {
  const wav = readWav(input);
  return { samples: mixToMono(wav.samples, wav.channels), sampleRate: wav.sampleRate };
}

/** Writes interleaved PCM16 as a canonical 44-byte-header WAV. */
export function writeWav(audio: WavAudio): Buffer {
  const { sampleRate, channels, samples } = audio;
  if (!Number.isInteger(channels) || channels < 1 || channels > 8)
    throw new RangeError(`bad channel count ${channels}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 384000) {
    throw new RangeError(`bad sample rate ${sampleRate}`);
  }
  if (samples.length % channels !== 0)
    throw new RangeError('sample count is not a multiple of the channel count');
  const dataBytes = samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels * 2, 28);
  out.writeUInt16LE(channels * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, 44 + i * 2);
  return out;
}

/** Splits interleaved samples into one array per channel. */
export function deinterleave(samples: Int16Array, channels: number): Int16Array[] {
  const frames = Math.floor(samples.length / channels);
  const out = Array.from({ length: channels }, () => new Int16Array(frames));
  for (let f = 0; f < frames; f++) for (let c = 0; c < channels; c++) out[c]![f] = samples[f * channels + c]!;
  return out;
}

/** Interleaves equal-length channel arrays (shorter ones are padded with silence). */
export function interleave(channelData: readonly Int16Array[]): Int16Array {
  const channels = channelData.length;
  const frames = Math.max(0, ...channelData.map((c) => c.length));
  const out = new Int16Array(frames * channels);
  for (let c = 0; c < channels; c++) {
    const data = channelData[c]!;
    for (let f = 0; f < data.length; f++) out[f * channels + c] = data[f]!;
  }
  return out;
}
