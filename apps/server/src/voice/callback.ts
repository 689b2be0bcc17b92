// An agent's call-back from the console softphone: the customer and line are checked (core startCallback,
// which stores the call ringing), the agent's browser leg hears a ring-back tone while the customer's
// phone is dialled over the inbox's line (registrar account or trunk, as campaigns dial), and once they
// answer voiceCalls bridges the two with the recording, live transcript, controls and meters of every
// call. A call that is not answered (busy, no answer, rejected, unreachable) is stored ended with why.
import { type DialOutcome, DomainError, voiceInboxSettings } from '@zhike/core';
import type { Database } from '@zhike/db';
import {
  type CallEnded,
  type CallParty,
  type CallTrace,
  type DialRequest,
  type MediaLeg,
  SAMPLE_RATE,
  type Unsubscribe,
  type VoiceClock,
} from '@zhike/voice';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';
import type { LiveCalls } from './liveCalls.ts';
import { dialOutcomeOf, lineRoute } from './outboundLine.ts';
import { SIP_VOICE_ADAPTER, sipCallStart } from './sipInboxes.ts';
import type { VoiceCalls } from './voiceCalls.ts';

/** What a call-back needs of the SIP user agent's outbound call (OutboundSipCall has it all). */
export interface PlacedCall {
  readonly id: string;
  readonly from: CallParty;
  readonly to: CallParty;
  readonly startedAt: Date;
  readonly trace: CallTrace;
  readonly media: MediaLeg | null;
  on(event: 'ringing', listener: () => void): Unsubscribe;
  waitForAnswer(): Promise<void>;
  hangup(): Promise<void>;
}

export type CallbackProgress = 'dialling' | 'ringing' | DialOutcome;

export interface CallbackRequest {
  workspaceId: string;
  agentId: string;
  target: { conversationId: string } | { customerId: string };
  phone?: string;
  inboxId?: string;
  /** The agent's answered browser leg (its offer was answered already). */
  agentLeg: MediaLeg;
  /** Each step of the dialling, to the agent's softphone; the last is the outcome. */
  onProgress(progress: CallbackProgress): void;
}

export interface CallbackDeps {
  db: Database;
  commands: Commands;
  calls: VoiceCalls;
  liveCalls: LiveCalls;
  log: Logger;
  clock: VoiceClock;
  newId: () => string;
  /** The running SIP user agent's dial, or null while SIP is not started. */
  dial: () => ((target: string, request: DialRequest) => Promise<PlacedCall>) | null;
  ringTimeoutMs: number;
}

export interface Callbacks {
  /**
   * Stores the call and starts dialling; resolves with the call once it is stored (the dialling goes on,
   * `done` settles with its outcome). Rejects (a DomainError, or 'unavailable') when it cannot be placed.
   */
  place(request: CallbackRequest): Promise<{
    callId: string;
    conversationId: string;
    done: Promise<DialOutcome>;
  }>;
}

export class CallbackUnavailable extends Error {
  readonly code = 'unavailable';
}

/** The ring-back the agent hears: 450 Hz, one second on and four off (the Chinese ring-back cadence). */
export function ringBackTone(): Int16Array {
  const samples = new Int16Array(SAMPLE_RATE * 5);
  for (let i = 0; i < SAMPLE_RATE; i++)
    samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 450 * i) / SAMPLE_RATE));
  return samples;
}

export function createCallbacks(deps: CallbackDeps): Callbacks {
  const tone = ringBackTone();
  return {
    async place(request) {
      const dial = deps.dial();
      if (!dial) throw new CallbackUnavailable('Phone calls are not enabled on this server');
      const { workspaceId } = request;
      const started = await deps.commands.startCallback(workspaceId, {
        callId: deps.newId(),
        agentId: request.agentId,
        target: request.target,
        lineAdapter: SIP_VOICE_ADAPTER,
        startedAt: new Date(deps.clock.now()).toISOString(),
        ...(request.phone !== undefined ? { phone: request.phone } : {}),
        ...(request.inboxId !== undefined ? { inboxId: request.inboxId } : {}),
      });
      const { call, conversation, inbox, phone } = started;
      const store = deps.db.forWorkspace(workspaceId);
      const t0 = deps.clock.now();

      const emitState = (state: 'ringing' | 'ended') =>
        deps.liveCalls.emit({
          type: 'state',
          workspaceId,
          callId: call.id,
          conversationId: conversation.id,
          state,
          agentId: request.agentId,
        });

      // The agent hears the ring-back until the customer answers (or it fails).
      let ringing: { cancel(): void } | null = null;
      const ringBack = () => {
        request.agentLeg.play(tone);
        ringing = deps.clock.setTimeout(ringBack, 5000);
      };
      const stopRingBack = () => {
        ringing?.cancel();
        ringing = null;
        request.agentLeg.stopPlayback();
      };

      let agentLeft = false;
      const fail = async (outcome: DialOutcome, sipTrace: CallTrace | null, detail: string | null) => {
        stopRingBack();
        const events = sipTrace?.events() ?? [];
        await store.voice.calls.update(call.id, {
          state: 'ended',
          endedAt: new Date(deps.clock.now()).toISOString(),
          endReason: agentLeft ? 'agent-hangup' : outcome === 'no_answer' ? 'timeout' : 'failed',
          trace: [
            ...events.map((e) => ({ ...e })),
            {
              atMs: Math.max(0, Math.round(deps.clock.now() - t0)),
              stage: 'sip',
              name: `callback.${outcome}`,
              ...(detail ? { detail: { error: detail.slice(0, 200) } } : {}),
            },
          ],
        });
        request.onProgress(outcome);
        emitState('ended');
        request.agentLeg.close();
        return outcome;
      };

      const run = async (): Promise<DialOutcome> => {
        request.onProgress('dialling');
        emitState('ringing');
        ringBack();
        let placed: PlacedCall;
        try {
          const { target, request: dialRequest } = lineRoute(
            voiceInboxSettings(inbox.channelConfig),
            inbox.id,
            phone.replace(/^\+/, ''),
          );
          placed = await dial(target, { ...dialRequest, ringTimeoutMs: deps.ringTimeoutMs });
        } catch (error) {
          return fail('failed', null, String(error));
        }
        placed.on('ringing', () => request.onProgress('ringing'));
        // The agent hanging up (or leaving) while it rings cancels the call.
        let answered = false;
        void request.agentLeg.closed.then(() => {
          if (answered) return;
          agentLeft = true;
          return placed.hangup().catch(() => undefined);
        });
        try {
          await placed.waitForAnswer();
        } catch (ended) {
          return fail(dialOutcomeOf(ended as CallEnded), placed.trace, null);
        }
        answered = true;
        stopRingBack();
        const leg = placed.media;
        if (!leg) {
          await placed.hangup().catch(() => undefined);
          return fail('failed', placed.trace, 'the answered call has no media');
        }
        try {
          const bridged = await deps.calls.startAgentCall({
            workspaceId,
            inboxId: inbox.id,
            leg,
            trace: placed.trace,
            start: sipCallStart({
              id: placed.id,
              direction: 'outbound',
              from: placed.from,
              to: { ...placed.to, phone },
              startedAt: placed.startedAt,
            }),
            call: { id: call.id, conversationId: conversation.id, customerId: call.customerId },
            agentId: request.agentId,
            agentLeg: request.agentLeg,
          });
          request.onProgress('answered');
          await bridged.done.catch((err: unknown) => deps.log.warn({ err }, 'call-back wrap-up failed'));
          return 'answered';
        } finally {
          await placed.hangup().catch(() => undefined);
        }
      };

      const done = run().catch(async (error: unknown) => {
        deps.log.error({ err: error, callId: call.id }, 'call-back failed');
        stopRingBack();
        request.agentLeg.close();
        // Not left ringing: the row ends as failed (unless the call's own wrap-up stored it already).
        const row = await store.voice.calls.get(call.id).catch(() => null);
        if (row && row.state !== 'ended')
          await store.voice.calls
            .update(call.id, {
              state: 'ended',
              endedAt: new Date(deps.clock.now()).toISOString(),
              endReason: 'failed',
            })
            .catch(() => undefined);
        request.onProgress('failed');
        emitState('ended');
        return 'failed' as const;
      });
      return { callId: call.id, conversationId: conversation.id, done };
    },
  };
}

/** Whether an error of `place` is the caller's (a bad target) rather than the server's. */
export const isCallbackRefusal = (error: unknown): error is DomainError | CallbackUnavailable =>
  error instanceof DomainError || error instanceof CallbackUnavailable;
