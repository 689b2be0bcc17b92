// The voice channel's composition: the brain on top of the text bot, the live-call registry, encrypted
// recordings and the one entry point every call goes through. Built once per app by createApp; the
// speech providers and the bot loop can be swapped (tests bring fakes; the pipeline brings its loop).

import type { HttpClient } from '@zhike/channels';
import type { Clock, EventBus } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { BlobStore } from '@zhike/providers';
import { runVoiceBot as pipelineBot, type VoiceClock } from '@zhike/voice';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';
import type { CostMeter } from '../costs/costMeter.ts';
import { type CallRecords, createCallRecords } from './callRecords.ts';
import { createLiveCalls, type LiveCalls } from './liveCalls.ts';
import { createRecordingFiles, type RecordingFiles } from './recording.ts';
import type { SipService } from './sipService.ts';
import { workspaceSpeech } from './speech.ts';
import { createVoiceBrain, type ServerVoiceBrain } from './voiceBrain.ts';
import { type CallSpeech, createVoiceCalls, type RunVoiceBot, type VoiceCalls } from './voiceCalls.ts';

export interface VoiceOptions {
  /** The bot loop per call (the pipeline's runVoiceBot unless a test scripts it). */
  runVoiceBot?: RunVoiceBot;
  /** Time for call logic (the pipeline's timers, trace stamps); the app clock by default. */
  clock?: VoiceClock;
  /** The workspace's speech providers; default: its saved settings (espeak-ng TTS and no ASR unset). */
  speechFor?: (workspaceId: string) => Promise<CallSpeech>;
  holdRepeatMs?: number;
}

export interface VoiceServices {
  calls: VoiceCalls;
  /** What a call leaves on record; the pipeline's calls and simulated ones (the demo history) alike. */
  records: CallRecords;
  liveCalls: LiveCalls;
  brain: ServerVoiceBrain;
  recordings: RecordingFiles;
  /** Time of call logic. */
  clock: VoiceClock;
  /** The SIP user agent when ZHIKE_SIP_PORT is set (started by createApp). */
  sip: SipService | null;
  /** Hangs up SIP calls, ends every live call and waits until each is stored. */
  stop(): Promise<void>;
}

export function createVoice(
  deps: {
    db: Database;
    bus: EventBus;
    commands: Commands;
    log: Logger;
    clock: Clock;
    newId: () => string;
    /** Where recordings are kept (the app's one file store). */
    fileStore: BlobStore;
    /** ZHIKE_SPEECH_MODELS_DIR: where workspaces' embedded speech models may be loaded from. */
    speechModelsDir: string;
    /** How HTTP speech providers are reached: the SSRF-guarded client of the channels. */
    http: HttpClient;
    costs?: CostMeter;
  },
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
  const recordings = createRecordingFiles(deps.fileStore);
  const speechFor =
    options.speechFor ??
    workspaceSpeech({
      db: deps.db,
      http: deps.http,
      modelsRoot: deps.speechModelsDir,
      onInvalid: (workspaceId, err) => deps.log.warn({ err, workspaceId }, 'speech settings unusable'),
    });
  const runVoiceBot: RunVoiceBot = options.runVoiceBot ?? pipelineBot;
  const records = createCallRecords({
    db: deps.db,
    bus: deps.bus,
    log: deps.log,
    ...(deps.costs ? { costs: deps.costs } : {}),
  });
  const calls = createVoiceCalls({
    db: deps.db,
    records,
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
  const services: VoiceServices = {
    calls,
    records,
    liveCalls,
    brain,
    recordings,
    clock: voiceClock,
    sip: null,
    async stop() {
      await services.sip?.stop();
      liveCalls.closeAll();
      await calls.drain();
    },
  };
  return services;
}
