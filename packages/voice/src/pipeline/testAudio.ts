// Test audio for the pipeline: speech clips made by espeak-ng at test time (through G.711 like a phone
// line), synthetic line noise, mixing and 20 ms frame slicing.

import { execFileSync } from 'node:child_process';
import { FRAME_SAMPLES } from '../types.ts';

export interface ClipOptions {
  /** espeak-ng voice; cmn-latn-pinyin reads Chinese characters correctly (see voice-groundwork.md). */
  voice?: string;
  /** Words per minute. */
  speed?: number;
  /** Pass the clip through a G.711 encode/decode as a phone line would (sox's own codec). */
  companding?: 'PCMU' | 'PCMA' | null;
  /** Gain in dB applied before companding. */
  gainDb?: number;
}

/** Speech for `text` as 8 kHz mono PCM, synthesised now by espeak-ng and converted with sox. */
export function speechClip(text: string, options: ClipOptions = {}): Int16Array {
  const voice = options.voice ?? 'cmn-latn-pinyin';
  const wav = execFileSync('espeak-ng', ['-v', voice, '-s', String(options.speed ?? 160), '--stdout', text], {
    maxBuffer: 64 << 20,
  });
  const gain = ['gain', String(options.gainDb ?? 0)];
  const toPcm = ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', '-'];
  let raw: Buffer;
  if (options.companding === null) {
    raw = execFileSync('sox', ['-t', 'wav', '-', ...toPcm, ...gain], { input: wav, maxBuffer: 64 << 20 });
  } else {
    const law = options.companding === 'PCMA' ? 'a-law' : 'u-law';
    const encoded = execFileSync(
      'sox',
      ['-t', 'wav', '-', '-r', '8000', '-c', '1', '-e', law, '-t', 'raw', '-', ...gain],
      { input: wav, maxBuffer: 64 << 20 },
    );
    raw = execFileSync(
      'sox',
      [
        '-t',
        'raw',
        '-r',
        '8000',
        '-c',
        '1',
        '-e',
        law,
        '-b',
        '8',
        '-',
        '-b',
        '16',
        '-e',
        'signed-integer',
        '-t',
        'raw',
        '-',
      ],
      { input: encoded, maxBuffer: 64 << 20 },
    );
  }
  const pcm = new Int16Array(
    raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength - (raw.byteLength % 2)),
  );
  // espeak-ng pads its output with a few hundred ms of silence; tests place their own silence.
  let first = 0;
  while (first < pcm.length && Math.abs(pcm[first]!) < 200) first++;
  let last = pcm.length - 1;
  while (last > first && Math.abs(pcm[last]!) < 200) last--;
  return pcm.slice(first, last + 1);
}

export function silence(ms: number): Int16Array {
  return new Int16Array(Math.round((ms * 8000) / 1000));
}

/** Deterministic white noise at roughly `dbfs` RMS. */
export function whiteNoise(ms: number, dbfs: number, seed = 1): Int16Array {
  const out = new Int16Array(Math.round((ms * 8000) / 1000));
  const rms = 32768 * 10 ** (dbfs / 20);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    // Sum of uniforms ≈ gaussian; xorshift keeps it reproducible.
    let acc = 0;
    for (let k = 0; k < 4; k++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      acc += (state >>> 0) / 4294967296 - 0.5;
    }
    out[i] = clamp(acc * Math.sqrt(3) * rms);
  }
  return out;
}

/** A mains hum (fundamental plus harmonics) at roughly `dbfs`. */
export function hum(ms: number, dbfs: number, hz = 50): Int16Array {
  const out = new Int16Array(Math.round((ms * 8000) / 1000));
  const amp = 32768 * 10 ** (dbfs / 20) * Math.SQRT2;
  for (let i = 0; i < out.length; i++) {
    const t = i / 8000;
    out[i] = clamp(amp * (0.8 * Math.sin(2 * Math.PI * hz * t) + 0.3 * Math.sin(2 * Math.PI * 3 * hz * t)));
  }
  return out;
}

/** Sample-wise sum of signals (the shorter ones padded with silence). */
export function mix(...signals: Int16Array[]): Int16Array {
  const out = new Int16Array(Math.max(...signals.map((s) => s.length)));
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (const s of signals) v += s[i] ?? 0;
    out[i] = clamp(v);
  }
  return out;
}

export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function scale(samples: Int16Array, db: number): Int16Array {
  const g = 10 ** (db / 20);
  return samples.map((s) => clamp(s * g));
}

/** 20 ms frames; the last one is padded with silence. */
export function toFrames(samples: Int16Array): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let i = 0; i < samples.length; i += FRAME_SAMPLES) {
    const frame = new Int16Array(FRAME_SAMPLES);
    frame.set(samples.subarray(i, Math.min(samples.length, i + FRAME_SAMPLES)));
    frames.push(frame);
  }
  return frames;
}

export function clamp(v: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(v)));
}
