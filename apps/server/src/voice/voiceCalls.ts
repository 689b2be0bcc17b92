// One entry point for every call, phone (SIP) or browser (WebRTC): `startInbound` opens the call's
// conversation and row, records both directions, runs the voice bot with the server's brain, and when
// the bot hands off keeps the caller on hold (prompt repeated) while the conversation goes through the
// normal routing until an agent connects (liveCalls). At the end it stores the encrypted recording, the
// transcript, the trace and what the call used, and adds that to the workspace's daily meters.

import {
  type CallEndReason,
  type CallState,
  callerIdentity,
  HOLD_ENDED,
  HOLD_STARTED,
  type Locale,
  type TranscriptSegment,
  voiceInboxSettings,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import {
  type CallStart,
  type CallTrace,
  LiveTranscriber,
  type MediaLeg,
  resampleYielding,
  SAMPLE_RATE,
  type SpeechRecognizer,
  type SpeechSynthesizer,
  type TraceEvent,
  type VoiceBotOptions,
  type VoiceBotOutcome,
  type VoiceBrain,
  type VoiceClock,
} from '@zhike/voice';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';
import { languageOfLocale, sameFamily } from '../translation/languages.ts';
import type { CallRecords } from './callRecords.ts';
import type { LiveCalls } from './liveCalls.ts';
import { promptsFor } from './prompts.ts';
import type { RecordingFiles } from './recording.ts';
import { recordCall } from './recording.ts';
import type { ServerVoiceBrain } from './voiceBrain.ts';

/** The pipeline's bot loop (runVoiceBot in @zhike/voice); injectable so tests can script the caller side. */
export type RunVoiceBot = (options: VoiceBotOptions) => Promise<VoiceBotOutcome>;

export interface CallSpeech {
  recognizer: SpeechRecognizer;
  synthesizer: SpeechSynthesizer;
}

export interface VoiceCallsDeps {
  db: Database;
  /** What a call leaves on record (its queueing, the agent, and at the end everything stored). */
  records: CallRecords;
  commands: Commands;
  log: Logger;
  clock: VoiceClock;
  newId: () => string;
  brain: ServerVoiceBrain;
  liveCalls: LiveCalls;
  recordings: RecordingFiles;
  /** The workspace's speech providers (its settings, or the server's defaults). */
  speechFor(workspaceId: string): Promise<CallSpeech>;
  runVoiceBot: RunVoiceBot;
  /** How often the hold prompt repeats while the caller waits (default 20 s). */
  holdRepeatMs?: number;
}

export interface StartInboundInput {
  workspaceId: string;
  inboxId: string;
  leg: MediaLeg;
  start: CallStart;
  /** The call's trace so far (a SIP call's dialog steps); the pipeline's stages are added to it. */
  trace?: CallTrace;
}

export interface StartOutboundInput extends StartInboundInput {
  /** The brain that talks on this call (a campaign's script) instead of the server's support bot. */
  brain: VoiceBrain;
}

/** A call-back the agent placed and the customer answered: the stored row, bridged to the agent at once. */
export interface StartAgentCallInput extends StartInboundInput {
  call: { id: string; conversationId: string; customerId: string };
  agentId: string;
  agentLeg: MediaLeg;
}

export interface StartedCall {
  callId: string;
  conversationId: string;
  customerId: string;
  /** Resolves when the call is over and everything about it is stored. */
  done: Promise<{ reason: CallEndReason }>;
}

export interface VoiceCalls {
  startInbound(input: StartInboundInput): Promise<StartedCall>;
  /** A call we placed that was answered: the same row, recording, transcript and meters, run by `brain`. */
  startOutbound(input: StartOutboundInput): Promise<StartedCall>;
  /**
   * An agent's call-back, answered: the recording notice (if the inbox has one) to the customer, then the
   * bridge to the agent's leg with the same recording, live transcript, controls and meters.
   */
  startAgentCall(input: StartAgentCallInput): Promise<StartedCall>;
  /** Waits until every call that ended has been stored (shutdown, after the legs were closed). */
  drain(): Promise<void>;
}

class MemoryTrace implements CallTrace {
  private readonly list: TraceEvent[] = [];
  constructor(private readonly elapsed: () => number) {}
  add(event: Omit<TraceEvent, 'atMs'> & { atMs?: number }): void {
    if (this.list.length >= 2000) return;
    const { atMs, ...rest } = event;
    this.list.push({ ...rest, atMs: atMs ?? this.elapsed() });
  }
  events(): readonly TraceEvent[] {
    return this.list;
  }
}

/** The speech language of a call: the caller's own variety of the shop's language, else the shop's locale. */
export function callLanguage(remembered: string | null, locale: Locale): string {
  const shop = languageOfLocale(locale);
  return remembered && remembered !== shop && sameFamily(remembered, shop) ? remembered : locale;
}

export function createVoiceCalls(deps: VoiceCallsDeps): VoiceCalls {
  const holdRepeatMs = deps.holdRepeatMs ?? 20_000;
  const wrapUps = new Set<Promise<unknown>>();

  const startCall = async (
    { workspaceId, inboxId, leg, start, trace: given }: StartInboundInput,
    ownBrain: VoiceBrain | null,
    withAgent: Omit<StartAgentCallInput, keyof StartInboundInput> | null = null,
  ): Promise<StartedCall> => {
    const store = deps.db.forWorkspace(workspaceId);
    const t0 = deps.clock.now();
    const elapsedMs = () => Math.max(0, Math.round(deps.clock.now() - t0));
    const trace: CallTrace = given ?? new MemoryTrace(elapsedMs);
    const inbox = await store.inboxes.get(inboxId);
    if (!inbox) throw new Error(`inbox ${inboxId} not found`);
    const workspace = await store.workspace.get();
    const settings = voiceInboxSettings(inbox.channel === 'voice' ? inbox.channelConfig : null);
    const prompts = promptsFor(workspace.locale);
    const started = withAgent
      ? await agentCallRow(withAgent.call)
      : await deps.commands.startCall(workspaceId, {
          callId: deps.newId(),
          inboxId,
          direction: start.direction,
          transport: start.transport,
          from: start.from,
          to: start.to,
          startedAt: start.startedAt.toISOString(),
        });
    const { call, conversation, customer } = started;
    // A caller known to speak a variety of the shop's language (Cantonese for a Mandarin shop) is heard and
    // answered by that variety's engines (the speech settings' per-language tables, yue for Cantonese).
    const language = callLanguage(await store.languages.customerLanguage(customer.id), workspace.locale);
    trace.add({ stage: 'sip', name: 'call.accepted', detail: { transport: start.transport } });
    const recorder = recordCall(leg);
    const speech = await deps.speechFor(workspaceId);

    // Metering sits on the providers: every second sent to ASR and every character synthesised count.
    const usage = { asrSeconds: 0, ttsCharacters: 0 };
    const recognizer: SpeechRecognizer = {
      id: speech.recognizer.id,
      transcribe(audio, options) {
        usage.asrSeconds += audio.samples.length / Math.max(1, audio.sampleRate);
        return speech.recognizer.transcribe(audio, options);
      },
    };
    const synthesizer: SpeechSynthesizer = {
      id: speech.synthesizer.id,
      synthesize(text, options) {
        usage.ttsCharacters += [...text].length;
        return speech.synthesizer.synthesize(text, options);
      },
    };

    const segments: Omit<TranscriptSegment, 'seq'>[] = [];
    const brainLines: Omit<TranscriptSegment, 'seq'>[] = [];
    const addSegment = (s: Omit<TranscriptSegment, 'seq' | 'callId' | 'language'>, list = segments) => {
      const segment = { ...s, callId: call.id, language };
      list.push(segment);
      if (list === segments)
        deps.liveCalls.emit({
          type: 'transcript',
          workspaceId,
          callId: call.id,
          conversationId: conversation.id,
          segment: { ...segment, seq: segments.length - 1 },
        });
    };

    // A call with its own brain (a campaign's) is not the support bot's: nothing to register there.
    if (!ownBrain)
      deps.brain.register({
        callId: start.callId,
        recordId: call.id,
        workspaceId,
        inboxId,
        conversationId: conversation.id,
        // The customer is the called party of a call we placed.
        identity: callerIdentity({
          callId: call.id,
          transport: start.transport,
          from: start.direction === 'outbound' ? start.to : start.from,
        }),
        locale: workspace.locale,
        greeting: settings.greeting ?? inbox.greeting ?? prompts.greeting(workspace.name),
        recordingNotice: settings.recordingNotice
          ? (settings.recordingNoticeText ?? prompts.recordingNotice)
          : null,
        elapsedMs,
        onLine: (line) =>
          addSegment(
            { speaker: line.speaker, text: line.text, startMs: line.atMs, endMs: line.atMs },
            brainLines,
          ),
      });

    let state: CallState = withAgent ? 'queued' : 'bot';
    let endReason: CallEndReason | null = null;
    const moveTo = (next: CallState) => {
      state = next;
      deps.liveCalls.setState(call.id, next);
    };
    const setState = async (next: CallState) => {
      moveTo(next);
      await store.voice.calls.update(call.id, { state: next });
    };

    // The caller on hold: the hold prompt now and again until an agent connects or the call ends.
    let holdTimer: { cancel(): void } | null = null;
    let holdAudio: Int16Array | null = null;
    const stopHold = () => {
      holdTimer?.cancel();
      holdTimer = null;
      leg.stopPlayback();
    };
    const startHold = async () => {
      stopHold();
      try {
        if (!holdAudio) {
          const pcm = await synthesizer.synthesize(prompts.hold, { language });
          holdAudio = await resampleYielding(pcm.samples, pcm.sampleRate, SAMPLE_RATE);
        }
      } catch (error) {
        deps.log.warn({ err: error, callId: call.id }, 'hold prompt could not be synthesised');
        return;
      }
      const loop = () => {
        if (state !== 'queued' || !holdAudio) return;
        leg.play(holdAudio);
        holdTimer = deps.clock.setTimeout(loop, holdRepeatMs);
      };
      loop();
    };

    let transcriber: LiveTranscriber | null = null;
    // The bot's current run: aborted when the call ends while the bot still holds it.
    let botRun: AbortController | null = null;
    const runBot = async (): Promise<void> => {
      const controller = new AbortController();
      botRun = controller;
      const outcome = await deps.runVoiceBot({
        leg,
        call: start,
        brain: ownBrain ?? deps.brain,
        recognizer,
        synthesizer,
        trace,
        clock: deps.clock,
        language,
        callStartMs: t0,
        onTranscript: (s) =>
          addSegment({ speaker: s.speaker, text: s.text, startMs: s.startMs, endMs: s.endMs }),
        signal: controller.signal,
      });
      if (botRun === controller) botRun = null;
      trace.add({ stage: 'brain', name: `bot.${outcome.kind}`, detail: { turns: outcome.turns } });
      if (outcome.kind === 'hangup') {
        endReason ??= 'bot-hangup';
        leg.close();
      } else if (outcome.kind === 'failed') {
        onBotFailure(outcome.error);
      } else if (outcome.kind === 'handoff') {
        moveTo('queued');
        await deps.records.queued(workspaceId, call.id, new Date(deps.clock.now()).toISOString());
        trace.add({ stage: 'handoff', name: 'queued', detail: { queueId: outcome.queueId ?? null } });
        await deps.commands.dispatchQueue(workspaceId).catch((error: unknown) => {
          deps.log.warn({ err: error, callId: call.id }, 'queue dispatch after a call hand-off failed');
        });
        await startHold();
      }
      // 'caller-hangup' and 'aborted': the leg's closing ends the call below.
    };

    deps.liveCalls.add(
      {
        callId: call.id,
        workspaceId,
        conversationId: conversation.id,
        caller: leg,
        onAgentConnected: async (agentId, agentLeg) => {
          stopHold();
          // Both people's words, live to the console (liveCalls events) and into the stored transcript.
          await transcriber?.stop({ discard: true });
          transcriber = new LiveTranscriber({
            recognizer,
            clock: deps.clock,
            trace,
            language,
            callStartMs: t0,
            onSegment: (g) =>
              addSegment({ speaker: g.speaker, text: g.text, startMs: g.startMs, endMs: g.endMs }),
          });
          transcriber.addSource('caller', (l) => leg.onAudio(l));
          transcriber.addSource('agent', (l) => agentLeg.onAudio(l));
          trace.add({ stage: 'handoff', name: 'agent.connected', detail: { agentId } });
          state = 'agent';
          await deps.records.agentConnected(
            workspaceId,
            call.id,
            agentId,
            new Date(deps.clock.now()).toISOString(),
          );
        },
        onAgentLeft: async ({ toAgentId }) => {
          await transcriber?.stop();
          transcriber = null;
          trace.add({ stage: 'handoff', name: 'agent.transfer', detail: { toAgentId } });
          await setState('queued');
          await startHold();
        },
        onAgentHungUp: () => {
          endReason ??= 'agent-hangup';
        },
        onHold: (held) => trace.add({ stage: 'handoff', name: held ? HOLD_STARTED : HOLD_ENDED }),
        onBackToBot: async () => {
          stopHold();
          await transcriber?.stop();
          transcriber = null;
          trace.add({ stage: 'handoff', name: 'back-to-bot' });
          await deps.commands.returnCallToBot(workspaceId, { conversationId: conversation.id });
          await setState('bot');
          runBot().catch(onBotFailure);
        },
      },
      state,
    );

    const onBotFailure = (error: unknown) => {
      deps.log.error({ err: error, callId: call.id }, 'voice bot failed');
      trace.add({ stage: 'brain', name: 'bot.failed', detail: { error: String(error).slice(0, 200) } });
      endReason ??= 'failed';
      leg.close();
    };

    const connectAgent = async (agent: NonNullable<typeof withAgent>) => {
      await store.voice.calls.update(call.id, { answeredAt: new Date(deps.clock.now()).toISOString() });
      if (settings.recordingNotice) {
        const text = settings.recordingNoticeText ?? prompts.recordingNotice;
        const pcm = await synthesizer.synthesize(text, { language });
        await leg.play(await resampleYielding(pcm.samples, pcm.sampleRate, SAMPLE_RATE)).done;
        trace.add({ stage: 'recording', name: 'notice.played' });
      }
      await deps.liveCalls.connectAgent(workspaceId, call.id, agent.agentId, agent.agentLeg);
    };

    const done = (async () => {
      if (withAgent)
        connectAgent(withAgent).catch((error: unknown) => {
          deps.log.error({ err: error, callId: call.id }, 'call-back could not reach the agent');
          endReason ??= 'failed';
          withAgent.agentLeg.close();
          leg.close();
        });
      else runBot().catch(onBotFailure);
      await leg.closed;
      (botRun as AbortController | null)?.abort();
      stopHold();
      // What was being said when the line dropped is still transcribed.
      await (transcriber as LiveTranscriber | null)?.stop();
      const endedAt = new Date(deps.clock.now()).toISOString();
      const reason: CallEndReason = endReason ?? 'caller-hangup';
      deps.liveCalls.remove(call.id);
      await (ownBrain ?? deps.brain).end(start.callId, reason).catch(() => {});
      const { wav, durationMs } = recorder.stop();
      let recording = null;
      try {
        const fileId = call.id;
        const saved = await deps.recordings.save(workspaceId, fileId, wav);
        recording = { fileId, fileKey: saved.fileKey, durationMs, size: saved.size };
        trace.add({ stage: 'recording', name: 'stored', detail: { bytes: saved.size, durationMs } });
      } catch (error) {
        deps.log.error({ err: error, callId: call.id }, 'call recording could not be stored');
      }
      const talkSeconds = (deps.clock.now() - t0) / 1000;
      await deps.records.ended({
        workspaceId,
        callId: call.id,
        conversationId: conversation.id,
        direction: call.direction,
        transport: start.transport,
        endedAt,
        reason,
        recording,
        segments: segments.length > 0 ? segments : brainLines,
        trace: trace.events().map((e) => ({ ...e })),
        usage: { talkSeconds, asrSeconds: usage.asrSeconds, ttsCharacters: usage.ttsCharacters },
        recognizerId: speech.recognizer.id,
        synthesizerId: speech.synthesizer.id,
      });
      deps.liveCalls.emit({
        type: 'state',
        workspaceId,
        callId: call.id,
        conversationId: conversation.id,
        state: 'ended',
        agentId: null,
      });
      return { reason };
    })();
    done.catch((error: unknown) => deps.log.error({ err: error, callId: call.id }, 'call wrap-up failed'));
    wrapUps.add(done);
    done.finally(() => wrapUps.delete(done)).catch(() => {});
    return { callId: call.id, conversationId: conversation.id, customerId: started.customer.id, done };
  };

  /** The stored row of an agent's call-back, with its conversation (voiceCalls needs only these). */
  const agentCallRow = async (row: StartAgentCallInput['call']) => ({
    call: { id: row.id, direction: 'outbound' as const },
    conversation: { id: row.conversationId },
    customer: { id: row.customerId },
  });

  return {
    async drain() {
      await Promise.allSettled([...wrapUps]);
    },
    startInbound: (input) => startCall(input, null),
    startOutbound: ({ brain, ...input }) =>
      startCall({ ...input, start: { ...input.start, direction: 'outbound' } }, brain),
    startAgentCall: ({ call, agentId, agentLeg, ...input }) =>
      startCall({ ...input, start: { ...input.start, direction: 'outbound' } }, null, {
        call,
        agentId,
        agentLeg,
      }),
  };
}
