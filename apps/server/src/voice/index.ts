// The voice channel's composition: the brain on top of the text bot, the live-call registry, encrypted
// recordings and the one entry point every call goes through. Built once per app by createApp; the
// speech providers and the bot loop can be swapped (tests bring fakes; the pipeline brings its loop).
import type { Clock } from '@zhike/core';
import type { Database } from '@zhike/db';
import { createCachedSynthesizer, createEspeakTts, SpeechProviderError } from '@zhike/providers';
import { runVoiceBot as pipelineBot, type SpeechRecognizer, type VoiceClock } from '@zhike/voice';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';
import { createLiveCalls, type LiveCalls } from './liveCalls.ts';
import { createRecordingFiles, type RecordingFiles } from './recording.ts';
import { createVoiceBrain, type ServerVoiceBrain } from './voiceBrain.ts';
import { type CallSpeech, createVoiceCalls, type RunVoiceBot, type VoiceCalls } from './voiceCalls.ts';

export interface VoiceOptions {
  /** The bot loop per call (the pipeline's runVoiceBot unless a test scripts it). */
  runVoiceBot?: RunVoiceBot;
  /** Time for call logic (the pipeline's timers, trace stamps); the app clock by default. */
  clock?: VoiceClock;
  /** The workspace's speech providers; default: espeak-ng TTS (cached) and no ASR. */
  speechFor?: (workspaceId: string) => Promise<CallSpeech>;
  holdRepeatMs?: number;
}

export interface VoiceServices {
  calls: VoiceCalls;
  liveCalls: LiveCalls;
  brain: ServerVoiceBrain;
  recordings: RecordingFiles;
  /** Ends every live call and waits until each is stored. */
  stop(): Promise<void>;
}

/** Refuses every utterance loudly: with no ASR configured the brain hears only no-match and hands off. */
const noRecognizer: SpeechRecognizer = {
  id: 'none',
  async transcribe() {
    throw new SpeechProviderError('none', 'config', 'no speech recognizer is configured for this workspace');
  },
};

export function createVoice(
  deps: { db: Database; commands: Commands; log: Logger; clock: Clock; newId: () => string; dataDir: string },
  options: VoiceOptions = {},
): VoiceServices {
  const voiceClock: VoiceClock = options.clock ?? {
    now: () => deps.clock.now().getTime(),
    setTimeout(fn, ms) {
      const timer = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(timer) };
    },
  };
  const brain = createVoiceBrain({ db: deps.db, commands: deps.commands, log: deps.log });
  const liveCalls = createLiveCalls();
  const recordings = createRecordingFiles(deps.dataDir);
  const tts = createCachedSynthesizer(createEspeakTts());
  const speechFor = options.speechFor ?? (async () => ({ recognizer: noRecognizer, synthesizer: tts }));
  const runVoiceBot: RunVoiceBot = options.runVoiceBot ?? pipelineBot;
  const calls = createVoiceCalls({
    db: deps.db,
    commands: deps.commands,
    log: deps.log,
    clock: voiceClock,
    newId: deps.newId,
    brain,
    liveCalls,
    recordings,
    speechFor,
    runVoiceBot,
    ...(options.holdRepeatMs ? { holdRepeatMs: options.holdRepeatMs } : {}),
  });
  return {
    calls,
    liveCalls,
    brain,
    recordings,
    async stop() {
      liveCalls.closeAll();
      await calls.drain();
    },
  };
}
