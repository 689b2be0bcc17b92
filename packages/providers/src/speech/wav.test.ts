import { describe, expect, it } from 'vitest';
import { encodeWav, parseWav, WavFormatError } from './wav.ts';

describe('wav', () => {
  it('round-trips mono PCM16 with exact sizes', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    const bytes = encodeWav({ samples, sampleRate: 16000 });
    expect(bytes.readUInt32LE(4)).toBe(36 + 12);
    expect(bytes.readUInt32LE(40)).toBe(12);
    const back = parseWav(bytes);
    expect(back.sampleRate).toBe(16000);
    expect(Array.from(back.samples)).toEqual(Array.from(samples));
  });

  it('reads a streamed WAV whose size fields are 0x7fffffff', () => {
    const bytes = encodeWav({ samples: Int16Array.from([5, 6, 7]), sampleRate: 22050 });
    bytes.writeUInt32LE(0x7fffffff, 4);
    bytes.writeUInt32LE(0x7fffffff, 40);
    expect(Array.from(parseWav(bytes).samples)).toEqual([5, 6, 7]);
  });

  it('skips unknown chunks and mixes stereo down to mono', () => {
    const header = Buffer.alloc(12);
    header.write('RIFF', 0, 'ascii');
    header.write('WAVE', 8, 'ascii');
    const list = Buffer.alloc(8 + 3 + 1);
    list.write('LIST', 0, 'ascii');
    list.writeUInt32LE(3, 4);
    const fmt = Buffer.alloc(24);
    fmt.write('fmt ', 0, 'ascii');
    fmt.writeUInt32LE(16, 4);
    fmt.writeUInt16LE(1, 8);
    fmt.writeUInt16LE(2, 10);
    fmt.writeUInt32LE(8000, 12);
    fmt.writeUInt16LE(16, 22);
    const data = Buffer.alloc(16);
    data.write('data', 0, 'ascii');
    data.writeUInt32LE(8, 4);
    data.writeInt16LE(100, 8);
    data.writeInt16LE(300, 10);
    data.writeInt16LE(-10, 12);
    data.writeInt16LE(-30, 14);
    const audio = parseWav(Buffer.concat([header, list, fmt, data]));
    expect(audio.sampleRate).toBe(8000);
    expect(Array.from(audio.samples)).toEqual([200, -20]);
  });

  it('rejects what is not PCM16 WAV with a clear error', () => {
    expect(() => parseWav(Buffer.from('hello world, not a wav'))).toThrow(WavFormatError);
    const float = encodeWav({ samples: Int16Array.from([1]), sampleRate: 8000 });
    float.writeUInt16LE(3, 20);
    expect(() => parseWav(float)).toThrow(/unsupported WAV encoding/);
    expect(() => parseWav(float.subarray(0, 30))).toThrow(WavFormatError);
  });
});
