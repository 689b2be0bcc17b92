// WAV (RIFF, PCM 16-bit) reading and writing for speech audio. Streaming writers such as
// `espeak-ng --stdout` cannot seek back to fill in sizes and leave 0x7fffffff (or 0) there, so a data
// chunk may claim more bytes than exist: the reader then takes what is actually present.
import type { PcmAudio } from '@zhike/voice';

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

/** A size field a streaming writer left unfilled. */
function isPlaceholderSize(size: number): boolean {
  return size === 0 || size === 0x7fffffff || size === 0xffffffff;
}

/** Decodes a PCM16 WAV; several channels are mixed down to mono (speech adapters work on mono). */
export function parseWav(bytes: Buffer): PcmAudio {
  if (
    bytes.length < 12 ||
    bytes.toString('ascii', 0, 4) !== 'RIFF' ||
    bytes.toString('ascii', 8, 12) !== 'WAVE'
  )
    throw new WavFormatError('not a RIFF/WAVE file');
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const start = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || start + 16 > bytes.length) throw new WavFormatError('fmt chunk too short');
      format = {
        tag: bytes.readUInt16LE(start),
        channels: bytes.readUInt16LE(start + 2),
        sampleRate: bytes.readUInt32LE(start + 4),
        bits: bytes.readUInt16LE(start + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('data chunk before fmt chunk');
      // 0xFFFE is WAVE_FORMAT_EXTENSIBLE, which some servers use for plain PCM too.
      if ((format.tag !== 1 && format.tag !== 0xfffe) || format.bits !== 16)
        throw new WavFormatError(`unsupported WAV encoding (format ${format.tag}, ${format.bits} bits)`);
      if (format.channels < 1 || format.sampleRate < 1)
        throw new WavFormatError('WAV has no channels or rate');
      const available = bytes.length - start;
      const length = isPlaceholderSize(size) || size > available ? available : size;
      return {
        samples: pcm16ToMono(bytes.subarray(start, start + length), format.channels),
        sampleRate: format.sampleRate,
      };
    }
    if (isPlaceholderSize(size) && id !== 'fmt ') throw new WavFormatError(`chunk ${id} has no size`);
    offset = start + size + (size % 2);
  }
  throw new WavFormatError('no data chunk');
}

/** Little-endian PCM16 bytes (whole frames only) to mono samples, averaging channels. */
export function pcm16ToMono(bytes: Buffer, channels = 1): Int16Array {
  const frames = Math.floor(bytes.length / (2 * channels));
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += bytes.readInt16LE((i * channels + c) * 2);
    out[i] = Math.round(sum / channels);
  }
  return out;
}

/** Mono PCM16 WAV with exact sizes, as speech APIs expect for uploads. */
export function encodeWav(audio: PcmAudio): Buffer {
  const data = pcm16Bytes(audio.samples);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(audio.sampleRate, 24);
  header.writeUInt32LE(audio.sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Samples as little-endian bytes (a copy, independent of the platform's endianness). */
export function pcm16Bytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}
