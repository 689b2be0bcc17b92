// "Speech recognition" that knows only its candidate phrases: each is synthesised with the same espeak-ng
// voice the bot and the caller use, passed through G.711 µ-law and resampled to the audio's rate, and
// matched by envelope correlation (envelope.ts). Unknown audio yields no text, so a broken pipeline
// (silence, wrong rate, clipped or glued segments) fails the test instead of passing it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clips, createClips, type SpeechOptions } from './clips.js';
import {
  bestMatch,
  ENVELOPE_FRAME_MS,
  type Envelope,
  energyEnvelope,
  trimEnvelope,
  voicedOutside,
} from './envelope.js';
import { mulawRoundTrip } from './mulaw.js';
import { run } from './proc.js';
import { encodeWav, monoSamples, parseWav, readWav, type Wav } from './wav.js';

/**
 * Score a recognised phrase must reach (measured: own G.711 round trips ≥ 0.95, own at 160 instead of
 * 175 wpm ≥ 0.68; other phrases ≤ 0.46, one word changed in a long sentence ≈ 0.74 but ranked below).
 */
export const DEFAULT_THRESHOLD = 0.6;
/** An utterance may hold at most this share of voiced frames outside the matched phrase. */
const MAX_VOICED_OUTSIDE = 0.2;
/** In a long recording, the 300 ms either side of a found phrase count as its surroundings. */
const CONTEXT_FRAMES = 15;

export interface Recognition {
  text: string;
  score: number;
  /** Where the phrase starts in the audio. */
  atSeconds: number;
}

export interface RecognizerOptions {
  clips?: Clips;
  /** espeak-ng voice and speed the phrases are spoken with (the bot's TTS defaults). */
  speech?: Omit<SpeechOptions, 'rate'>;
  threshold?: number;
}

export interface Recognizer {
  /** The best-scoring candidate for the whole utterance, whatever its score (for diagnostics). */
  best(
    samples: Int16Array,
    sampleRate: number,
    candidates: readonly string[],
  ): Promise<Recognition | undefined>;
  /** The candidate that explains the whole utterance, or undefined. */
  recognise(
    samples: Int16Array,
    sampleRate: number,
    candidates: readonly string[],
  ): Promise<Recognition | undefined>;
  /** Every candidate found somewhere in a long recording (best first), e.g. what baresip heard. */
  find(samples: Int16Array, sampleRate: number, candidates: readonly string[]): Promise<Recognition[]>;
  /** Every candidate's score against the audio (for diagnostics in failing tests). */
  scores(samples: Int16Array, sampleRate: number, candidates: readonly string[]): Promise<Recognition[]>;
}

async function resample(samples: Int16Array, from: number, to: number): Promise<Int16Array> {
  if (from === to) return samples;
  const dir = mkdtempSync(join(tmpdir(), 'zhike-asr-resample-'));
  try {
    const input = join(dir, 'in.wav');
    writeFileSync(input, encodeWav(samples, from));
    const out = await run('sox', [
      input,
      '-t',
      'wav',
      '-r',
      String(to),
      '-b',
      '16',
      '-e',
      'signed-integer',
      '-',
    ]);
    return monoSamples(parseWav(out.stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function createRecognizer(opts: RecognizerOptions = {}): Recognizer {
  const clips = opts.clips ?? createClips();
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const templates = new Map<string, Promise<Envelope>>();

  const template = (text: string, rate: number) => {
    const key = `${rate}|${text}`;
    let t = templates.get(key);
    if (!t) {
      t = (async () => {
        const phone = mulawRoundTrip(
          monoSamples(readWav(await clips.speech(text, { ...opts.speech, rate: 8000 }))),
        );
        return trimEnvelope(energyEnvelope(await resample(phone, 8000, rate), rate));
      })();
      templates.set(key, t);
      t.catch(() => templates.delete(key));
    }
    return t;
  };

  const validate = (samples: Int16Array, sampleRate: number, candidates: readonly string[]) => {
    if (!Number.isInteger(sampleRate) || sampleRate < 4000 || sampleRate > 96_000) {
      throw new Error(`unsupported sample rate ${sampleRate}`);
    }
    if (candidates.length === 0) throw new Error('the recogniser has no candidate phrases');
    return energyEnvelope(samples, sampleRate);
  };

  const scored = async (
    samples: Int16Array,
    sampleRate: number,
    candidates: readonly string[],
    whole: boolean,
  ) => {
    const env = validate(samples, sampleRate, candidates);
    const out: Recognition[] = [];
    for (const text of candidates) {
      const t = await template(text, sampleRate);
      const m = bestMatch(env, t);
      let score = m.score;
      const context = whole ? Infinity : CONTEXT_FRAMES;
      if (voicedOutside(env, m.offsetFrames, m.offsetFrames + m.lengthFrames, context) > MAX_VOICED_OUTSIDE)
        score = 0;
      out.push({ text, score, atSeconds: (Math.max(0, m.offsetFrames) * ENVELOPE_FRAME_MS) / 1000 });
    }
    return out.sort((a, b) => b.score - a.score);
  };

  return {
    async best(samples, sampleRate, candidates) {
      return (await scored(samples, sampleRate, candidates, true))[0];
    },
    async recognise(samples, sampleRate, candidates) {
      const [best] = await scored(samples, sampleRate, candidates, true);
      return best && best.score >= threshold ? best : undefined;
    },
    async find(samples, sampleRate, candidates) {
      return (await scored(samples, sampleRate, candidates, false)).filter((r) => r.score >= threshold);
    },
    scores: (samples, sampleRate, candidates) => scored(samples, sampleRate, candidates, false),
  };
}

/**
 * Which candidate answer texts a SIP client heard, best first: for checking the bot's spoken answer in
 * baresip's recording (a WAV file path or a parsed WAV).
 */
export async function transcribeReceived(
  wav: string | Wav,
  candidates: readonly string[],
  opts: RecognizerOptions = {},
): Promise<Recognition[]> {
  const w = typeof wav === 'string' ? readWav(wav) : wav;
  return createRecognizer(opts).find(monoSamples(w), w.sampleRate, candidates);
}
