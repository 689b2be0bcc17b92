// The server's RunVoiceBot on the pipeline's bot loop (packages/voice runVoiceBot): the loop's richer
// outcomes folded into the three this side acts on; a loop failure is thrown so the call's owner logs it
// and ends the call as failed.
import { runVoiceBot } from '@zhike/voice';
import type { RunVoiceBot } from './voiceCalls.ts';

export const pipelineVoiceBot: RunVoiceBot = async (options) => {
  const outcome = await runVoiceBot({
    call: options.call,
    leg: options.leg,
    brain: options.brain,
    recognizer: options.recognizer,
    synthesizer: options.synthesizer,
    clock: options.clock,
    trace: options.trace,
    language: options.language,
    ...(options.onTranscript
      ? {
          onTranscript: (s) =>
            options.onTranscript?.({ speaker: s.speaker, text: s.text, startMs: s.startMs, endMs: s.endMs }),
        }
      : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  switch (outcome.kind) {
    case 'handoff':
      return outcome.queueId ? { kind: 'handoff', queueId: outcome.queueId } : { kind: 'handoff' };
    case 'hangup':
      return { kind: 'hangup' };
    case 'caller-hangup':
    case 'aborted':
      return { kind: 'closed' };
    case 'failed':
      throw outcome.error;
  }
};
