// Text to speech with the espeak-ng program (the zero-configuration default): no network, no model files,
// Mandarin, Cantonese and English voices from the Debian package. Output is 22 050 Hz mono PCM16.
import { spawn } from 'node:child_process';
import { type PcmAudio, readMonoWav, type SpeechSynthesizer, type SynthesizeOptions } from '@zhike/voice';
import { SpeechProviderError } from './errors.ts';
import { lookupByLanguage } from './languages.ts';

export interface EspeakTtsOptions {
  /** Path or name of the program (looked up on PATH). Default 'espeak-ng'. */
  binary?: string;
  /** Voice per language tag, merged over the defaults (see espeakVoiceFor). */
  voices?: Record<string, string>;
  /** Language used when a call gives none. Default 'zh-CN'. */
  defaultLanguage?: string;
  /** Words per minute at rate 1. Default 175 (espeak-ng's own default). */
  wordsPerMinute?: number;
  /** Kill the program after this long. Default 15 s. */
  timeoutMs?: number;
  /** Longest text accepted, in characters. Default 4000. */
  maxTextLength?: number;
}

// `cmn` reads each character's pinyin in English in espeak-ng 1.51; `cmn-latn-pinyin` reads it as
// Mandarin (docs/voice-groundwork.md §2).
const DEFAULT_VOICES: Record<string, string> = {
  zh: 'cmn-latn-pinyin',
  'zh-cn': 'cmn-latn-pinyin',
  'zh-hans': 'cmn-latn-pinyin',
  'zh-sg': 'cmn-latn-pinyin',
  'zh-tw': 'cmn-latn-pinyin',
  cmn: 'cmn-latn-pinyin',
  'zh-sichuan': 'cmn-latn-pinyin',
  yue: 'yue',
  'zh-yue': 'yue',
  'zh-hk': 'yue',
  'zh-mo': 'yue',
  en: 'en-us',
  'en-us': 'en-us',
  'en-gb': 'en-gb',
};

/** The espeak-ng voice for a BCP-47 tag: exact match, then the primary subtag; undefined when unknown. */
export function espeakVoiceFor(language: string, overrides: Record<string, string> = {}): string | undefined {
  return lookupByLanguage(language, overrides, DEFAULT_VOICES);
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export function createEspeakTts(options: EspeakTtsOptions = {}): SpeechSynthesizer {
  const binary = options.binary ?? 'espeak-ng';
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxTextLength = options.maxTextLength ?? 4000;
  const wordsPerMinute = options.wordsPerMinute ?? 175;
  const defaultLanguage = options.defaultLanguage ?? 'zh-CN';

  return {
    id: 'espeak-ng',
    async synthesize(text: string, synth: SynthesizeOptions = {}): Promise<PcmAudio> {
      if (text.trim() === '')
        throw new SpeechProviderError('espeak-ng', 'config', 'nothing to say (empty text)');
      if (text.length > maxTextLength)
        throw new SpeechProviderError('espeak-ng', 'config', `text longer than ${maxTextLength} characters`);
      const language = synth.language ?? defaultLanguage;
      const voice = synth.voice ?? espeakVoiceFor(language, options.voices);
      if (!voice) throw new SpeechProviderError('espeak-ng', 'config', `no voice for language ${language}`);
      const rate = synth.rate ?? 1;
      if (!Number.isFinite(rate) || rate <= 0)
        throw new SpeechProviderError('espeak-ng', 'config', `bad rate ${rate}`);
      // espeak-ng accepts 80..450 words per minute.
      const speed = Math.round(Math.min(450, Math.max(80, wordsPerMinute * rate)));
      const wav = await runEspeak(binary, ['-v', voice, '-s', String(speed), '--stdout', '--stdin'], text, {
        timeoutMs,
        signal: synth.signal,
      });
      try {
        return readMonoWav(wav);
      } catch (error) {
        throw new SpeechProviderError(
          'espeak-ng',
          'engine',
          `unreadable output: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}

/** Runs the program without a shell; the text goes in on stdin so it can never be read as an option. */
function runEspeak(
  binary: string,
  args: string[],
  text: string,
  limits: { timeoutMs: number; signal: AbortSignal | undefined },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (limits.signal?.aborted) {
      reject(new SpeechProviderError('espeak-ng', 'aborted', 'synthesis aborted'));
      return;
    }
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: SpeechProviderError | undefined;
    const stop = (error: SpeechProviderError) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(new SpeechProviderError('espeak-ng', 'timeout', `no result within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    const onAbort = () => stop(new SpeechProviderError('espeak-ng', 'aborted', 'synthesis aborted'));
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) stop(new SpeechProviderError('espeak-ng', 'engine', 'output too large'));
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString('utf8');
    });
    // A program that exits before reading stdin (bad voice) closes the pipe: that is reported via exit.
    child.stdin.on('error', () => {});
    child.on('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'ENOENT'
          ? `program not found: ${binary}`
          : `could not start ${binary}: ${error.message}`;
      failure ??= new SpeechProviderError('espeak-ng', 'config', message, { cause: error });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else if (code !== 0)
        reject(
          new SpeechProviderError(
            'espeak-ng',
            'engine',
            `exited with ${code}: ${stderr.trim() || 'no message'}`,
          ),
        );
      else resolve(Buffer.concat(chunks));
    });
    child.stdin.end(text, 'utf8');
  });
}
