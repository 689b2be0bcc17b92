// A cache in front of any synthesizer so repeated prompts (greetings, re-prompts, the recording notice)
// cost neither vendor calls nor CPU: a byte-bounded in-memory LRU, optionally backed by a directory that
// survives restarts. Concurrent requests for the same prompt share one synthesis.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type PcmAudio,
  readMonoWav,
  type SpeechSynthesizer,
  type SynthesizeOptions,
  writeWav,
} from '@zhike/voice';
import { SpeechProviderError } from './errors.ts';

export interface SynthesisCacheOptions {
  /** Memory budget for cached PCM, in bytes. Default 32 MiB; 0 disables the memory tier. */
  maxMemoryBytes?: number;
  /** Directory for the disk tier (created when missing); without it only memory is used. */
  directory?: string;
  /**
   * Mixed into every key: whatever changes the sound besides (voice, language, rate, text), such as the
   * vendor's model id, so a settings change never replays audio made with the old model.
   */
  keyPrefix?: string;
}

export interface CachedSynthesizer extends SpeechSynthesizer {
  /** Hits and misses since creation, for the trace and tests. */
  stats(): { memoryHits: number; diskHits: number; misses: number; memoryBytes: number };
}

export function cacheKey(provider: string, prefix: string, text: string, options: SynthesizeOptions): string {
  const parts = [
    provider,
    prefix,
    options.voice ?? '',
    options.language ?? '',
    String(options.rate ?? 1),
    text,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function createCachedSynthesizer(
  inner: SpeechSynthesizer,
  options: SynthesisCacheOptions = {},
): CachedSynthesizer {
  const maxMemoryBytes = options.maxMemoryBytes ?? 32 * 1024 * 1024;
  const prefix = options.keyPrefix ?? '';
  // Map iteration order is insertion order: re-inserting on a hit makes the first key the least recent.
  const memory = new Map<string, PcmAudio>();
  const pending = new Map<string, Promise<PcmAudio>>();
  let memoryBytes = 0;
  const counts = { memoryHits: 0, diskHits: 0, misses: 0 };
  let directoryReady: Promise<unknown> | undefined;

  const remember = (key: string, audio: PcmAudio) => {
    const bytes = audio.samples.byteLength;
    if (bytes > maxMemoryBytes) return;
    const old = memory.get(key);
    if (old) {
      memoryBytes -= old.samples.byteLength;
      memory.delete(key);
    }
    memory.set(key, audio);
    memoryBytes += bytes;
    for (const [oldest, value] of memory) {
      if (memoryBytes <= maxMemoryBytes) break;
      memory.delete(oldest);
      memoryBytes -= value.samples.byteLength;
    }
  };

  const readDisk = async (key: string): Promise<PcmAudio | undefined> => {
    if (!options.directory) return undefined;
    try {
      return readMonoWav(await readFile(join(options.directory, `${key}.wav`)));
    } catch {
      // Missing or damaged (a crash cannot leave half a file, but a disk can): synthesise again.
      return undefined;
    }
  };

  const writeDisk = async (key: string, audio: PcmAudio) => {
    const directory = options.directory;
    if (!directory) return;
    directoryReady ??= mkdir(directory, { recursive: true });
    await directoryReady;
    const final = join(directory, `${key}.wav`);
    // Write aside, then rename: a reader sees either no file or a whole one.
    const temporary = join(directory, `${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, writeWav({ ...audio, channels: 1 }));
      await rename(temporary, final);
    } catch {
      // A full or read-only disk only costs the next synthesis; the call goes on.
      await rm(temporary, { force: true });
    }
  };

  const produce = async (key: string, text: string, synth: SynthesizeOptions): Promise<PcmAudio> => {
    const stored = await readDisk(key);
    if (stored) {
      counts.diskHits++;
      remember(key, stored);
      return stored;
    }
    counts.misses++;
    const audio = await inner.synthesize(text, synth);
    remember(key, audio);
    await writeDisk(key, audio);
    return audio;
  };

  const copy = (audio: PcmAudio): PcmAudio => ({
    samples: audio.samples.slice(),
    sampleRate: audio.sampleRate,
  });

  return {
    id: inner.id,
    async synthesize(text: string, synth: SynthesizeOptions = {}): Promise<PcmAudio> {
      const key = cacheKey(inner.id, prefix, text, synth);
      const hit = memory.get(key);
      if (hit) {
        counts.memoryHits++;
        memory.delete(key);
        memory.set(key, hit);
        return copy(hit);
      }
      let shared = pending.get(key);
      if (!shared) {
        shared = produce(key, text, synth).finally(() => pending.delete(key));
        pending.set(key, shared);
        return copy(await shared);
      }
      try {
        return copy(await shared);
      } catch (error) {
        // The caller who started the shared synthesis aborted it; this caller did not, so try on its own.
        if (error instanceof SpeechProviderError && error.code === 'aborted' && !synth.signal?.aborted)
          return copy(await produce(key, text, synth));
        throw error;
      }
    },
    stats: () => ({ ...counts, memoryBytes }),
  };
}
