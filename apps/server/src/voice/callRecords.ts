// What a call leaves on record as it moves on and when it ends, written one way whoever ran the call: the
// audio pipeline (voiceCalls.ts) or a simulation without audio (the demo history). At the end: the
// speaker-separated transcript, the row's end (reason, recording, trace, usage), the day's voice meters,
// what the line and the speech engines cost, and the `call.ended` announcement quality inspection
// scores the call from.
import {
  type CallDirection,
  type CallEndReason,
  type CallRecording,
  type CallTraceEntry,
  type CallTransport,
  type CallUsage,
  callCosts,
  type EventBus,
  type TranscriptSegment,
  usageDeltaOf,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { CostMeter } from '../costs/costMeter.ts';

export interface EndedCall {
  workspaceId: string;
  callId: string;
  conversationId: string;
  direction: CallDirection;
  transport: CallTransport;
  endedAt: string;
  reason: CallEndReason;
  /** The stored recording, when there is one (the pipeline saves the file before calling this). */
  recording: CallRecording | null;
  /** Who said what when, in order; numbered here. */
  segments: readonly Omit<TranscriptSegment, 'seq'>[];
  trace: readonly CallTraceEntry[];
  usage: CallUsage;
  /** The engines that heard and spoke (their ids decide whether speech is billed). */
  recognizerId: string;
  synthesizerId: string;
}

export interface CallRecords {
  /** The bot handed the caller to people: the call waits in the queue from `at`. */
  queued(workspaceId: string, callId: string, at: string): Promise<void>;
  /** An agent took the call. */
  agentConnected(workspaceId: string, callId: string, agentId: string, at: string): Promise<void>;
  /** The call is over: everything it leaves is stored, then `call.ended` is announced. */
  ended(call: EndedCall): Promise<void>;
}

export function createCallRecords(deps: {
  db: Database;
  bus: EventBus;
  log: Logger;
  costs?: CostMeter;
}): CallRecords {
  return {
    async queued(workspaceId, callId, at) {
      await deps.db
        .forWorkspace(workspaceId)
        .voice.calls.update(callId, { state: 'queued', handedOffAt: at });
    },
    async agentConnected(workspaceId, callId, agentId, at) {
      await deps.db
        .forWorkspace(workspaceId)
        .voice.calls.update(callId, { state: 'agent', agentId, agentAnsweredAt: at });
    },
    async ended(call) {
      const store = deps.db.forWorkspace(call.workspaceId);
      await store.voice.transcript.add(call.segments.map((s, seq) => ({ ...s, seq })));
      await store.voice.calls.update(call.callId, {
        state: 'ended',
        endedAt: call.endedAt,
        endReason: call.reason,
        recording: call.recording,
        trace: call.trace.map((e) => ({ ...e })),
        usage: call.usage,
      });
      await store.voice.usage.add(
        call.endedAt.slice(0, 10),
        usageDeltaOf({ direction: call.direction, usage: call.usage }),
      );
      for (const cost of callCosts({
        transport: call.transport,
        ...call.usage,
        recognizerId: call.recognizerId,
        synthesizerId: call.synthesizerId,
      }))
        await deps.costs?.record(call.workspaceId, cost.unit, cost.quantity);
      const stored = await store.voice.calls.get(call.callId);
      await deps.bus
        .publish([
          {
            name: 'call.ended',
            workspaceId: call.workspaceId,
            occurredAt: call.endedAt,
            callId: call.callId,
            conversationId: call.conversationId,
            agentId: stored?.agentId ?? null,
          },
        ])
        .catch((error: unknown) =>
          deps.log.error({ err: error, callId: call.callId }, 'call.ended not announced'),
        );
    },
  };
}
