// Caller audio for voice tests, made at test time with espeak-ng and sox (no binary fixtures): speech
// clips at 8 kHz mono S16 (what baresip's aufile source needs), silence, and concatenations such as
// "question + silence + 转人工 + silence". Clips are content-addressed in a temp dir, so test files in one
// run (and later runs) reuse them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './proc.js';
import { encodeWav, monoSamples, parseWav, readWav } from './wav.js';

/** espeak-ng's Mandarin voice that reads characters (the `cmn` voice reads pinyin in English in 1.51). */
export const MANDARIN_VOICE = 'cmn-latn-pinyin';
export const CANTONESE_VOICE = 'yue';
export const CLIP_RATE = 8000;

export interface SpeechOptions {
  /** espeak-ng voice; MANDARIN_VOICE by default. */
  voice?: string;
  /** espeak-ng words per minute (its default is 175). */
  speed?: number;
  /** Output rate; 8000 by default. */
  rate?: number;
}

/** One piece of a scenario clip: spoken text or seconds of silence. */
export type ClipPart = string | { say: string; voice?: string; speed?: number } | { silence: number };

export interface Clips {
  readonly dir: string;
  /** Path of a WAV of `text` spoken, mono S16 at `rate` (8 kHz by default). */
  speech(text: string, opts?: SpeechOptions): Promise<string>;
  /** Path of a WAV of `seconds` of digital silence at 8 kHz. */
  silence(seconds: number): Promise<string>;
  /** Path of an 8 kHz WAV of the parts one after another. */
  sequence(parts: ClipPart[]): Promise<string>;
}

export function createClips(opts: { dir?: string; voice?: string; speed?: number } = {}): Clips {
  const dir = opts.dir ?? join(tmpdir(), 'zhike-voice-clips');
  mkdirSync(dir, { recursive: true });
  const defaultVoice = opts.voice ?? MANDARIN_VOICE;
  const defaultSpeed = opts.speed ?? 175;

  const pathFor = (key: unknown) =>
    join(dir, `${createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 24)}.wav`);

  // Written under a unique name and renamed, so parallel test files never see half a clip.
  const store = (path: string, bytes: Buffer) => {
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
    return path;
  };

  const speech = async (text: string, o: SpeechOptions = {}) => {
    if (text.trim() === '') throw new Error('speech clip needs text');
    const voice = o.voice ?? defaultVoice;
    const speed = o.speed ?? defaultSpeed;
    const rate = o.rate ?? CLIP_RATE;
    const path = pathFor({ kind: 'speech', text, voice, speed, rate });
    if (existsSync(path)) return path;
    const spoken = await run('espeak-ng', ['-v', voice, '-s', String(speed), '--stdout', text]);
    const converted = await run(
      'sox',
      ['-t', 'wav', '-', '-t', 'wav', '-r', String(rate), '-c', '1', '-b', '16', '-e', 'signed-integer', '-'],
      { stdin: spoken.stdout },
    );
    // sox writing to a pipe cannot fill in the sizes; re-encode so every reader (aufile too) is happy.
    return store(path, encodeWav(monoSamples(parseWav(converted.stdout)), rate));
  };

  const silence = async (seconds: number) => {
    if (!(seconds >= 0) || seconds > 600) throw new Error(`bad silence length ${seconds}`);
    const path = pathFor({ kind: 'silence', seconds });
    if (existsSync(path)) return path;
    return store(path, encodeWav(new Int16Array(Math.round(seconds * CLIP_RATE)), CLIP_RATE));
  };

  const sequence = async (parts: ClipPart[]) => {
    if (parts.length === 0) throw new Error('empty clip sequence');
    const norm = parts.map((p) =>
      typeof p === 'string'
        ? { say: p, voice: defaultVoice, speed: defaultSpeed }
        : 'say' in p
          ? { say: p.say, voice: p.voice ?? defaultVoice, speed: p.speed ?? defaultSpeed }
          : p,
    );
    const path = pathFor({ kind: 'sequence', parts: norm });
    if (existsSync(path)) return path;
    const pieces: Int16Array[] = [];
    for (const p of norm) {
      const file =
        'say' in p ? await speech(p.say, { voice: p.voice, speed: p.speed }) : await silence(p.silence);
      pieces.push(monoSamples(readWav(file)));
    }
    const total = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pieces) {
      total.set(p, at);
      at += p.length;
    }
    return store(path, encodeWav(total, CLIP_RATE));
  };

  return { dir, speech, silence, sequence };
}
