// Reads a finished conversation or call from the workspace's store into what the scorer reads: messages
// (opened by the messages repository, which unseals them) with the bot's turn outcomes, or a call's
// transcript segments with its holds (from the call's trace) and its wait in the queue.

import type { WorkspaceRepositories } from '../ports.ts';
import type { VoiceCall } from '../voice/calls.ts';
import type { QualitySubject } from './results.ts';
import type { QualityMessage, QualityTranscript, TimeSpan } from './transcript.ts';

export interface LoadedTranscript {
  transcript: QualityTranscript;
  conversationId: string;
  customerId: string;
  agentId: string | null;
  channel: string;
  /** Not over yet (reopened since, or the call still on): scored when it ends. */
  ongoing: boolean;
}

/** Conversations longer than this are scored on their first messages (a runaway thread, not a chat). */
export const MAX_SCORED_MESSAGES = 2000;
const PAGE = 200;

/** Trace entries a call records when its agent puts the caller on hold and takes them back. */
export const HOLD_STARTED = 'hold.started';
export const HOLD_ENDED = 'hold.ended';

type Store = Pick<WorkspaceRepositories, 'conversations' | 'messages' | 'botTurns' | 'voice'>;

export async function loadTranscript(
  store: Store,
  subject: QualitySubject,
  subjectId: string,
): Promise<LoadedTranscript | null> {
  return subject === 'conversation' ? loadConversation(store, subjectId) : loadCall(store, subjectId);
}

async function loadConversation(store: Store, id: string): Promise<LoadedTranscript | null> {
  const conversation = await store.conversations.get(id);
  if (!conversation) return null;
  const messages: QualityMessage[] = [];
  let after: string | null = null;
  while (messages.length < MAX_SCORED_MESSAGES) {
    const page = await store.messages.listAfter(id, after, PAGE);
    for (const m of page) {
      if (m.author === 'system' || m.metadata?.internal) continue;
      messages.push({
        id: m.id,
        speaker: m.author,
        agentId: m.author === 'agent' ? m.authorUserId : null,
        text: m.text,
        at: m.createdAt,
        botOutcome: null,
      });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.id ?? null;
  }
  const outcomes = new Map(
    (await store.botTurns.forConversations([id])).map((t) => [t.messageId, t.outcome] as const),
  );
  for (const m of messages) if (m.speaker === 'customer') m.botOutcome = outcomes.get(m.id) ?? null;
  return {
    transcript: { subject: 'conversation', messages },
    conversationId: id,
    customerId: conversation.customerId,
    agentId: conversation.assigneeId ?? busiestAgent(messages),
    channel: conversation.channel,
    ongoing: conversation.status !== 'resolved',
  };
}

/** The agent who wrote most of the conversation (when nobody is assigned any more). */
function busiestAgent(messages: readonly QualityMessage[]): string | null {
  const counts = new Map<string, number>();
  for (const m of messages) if (m.agentId) counts.set(m.agentId, (counts.get(m.agentId) ?? 0) + 1);
  let best: string | null = null;
  for (const [id, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = id;
  return best;
}

async function loadCall(store: Store, id: string): Promise<LoadedTranscript | null> {
  const call = await store.voice.calls.get(id);
  if (!call) return null;
  const segments = await store.voice.transcript.list(id);
  return {
    transcript: {
      subject: 'call',
      segments: segments.map((s) => ({
        seq: s.seq,
        speaker: s.speaker === 'caller' ? 'customer' : s.speaker,
        startMs: s.startMs,
        endMs: s.endMs,
        text: s.text,
      })),
      holds: holdsOf(call),
      waits: waitsOf(call),
    },
    conversationId: call.conversationId,
    customerId: call.customerId,
    agentId: call.agentId,
    channel: 'voice',
    ongoing: call.state !== 'ended',
  };
}

/** Holds from the trace's hold.started / hold.ended pairs; a hold still on at the end lasts to the end. */
export function holdsOf(call: Pick<VoiceCall, 'trace' | 'startedAt' | 'endedAt'>): TimeSpan[] {
  const spans: TimeSpan[] = [];
  let open: number | null = null;
  for (const e of [...call.trace].sort((a, b) => a.atMs - b.atMs)) {
    if (e.name === HOLD_STARTED && open === null) open = e.atMs;
    else if (e.name === HOLD_ENDED && open !== null) {
      spans.push({ startMs: open, endMs: e.atMs });
      open = null;
    }
  }
  if (open !== null && call.endedAt)
    spans.push({
      startMs: open,
      endMs: Math.max(open, Date.parse(call.endedAt) - Date.parse(call.startedAt)),
    });
  return spans;
}

/** The caller's wait for an agent after the bot handed off (to the agent's answer, or the end). */
export function waitsOf(
  call: Pick<VoiceCall, 'startedAt' | 'handedOffAt' | 'agentAnsweredAt' | 'endedAt'>,
): TimeSpan[] {
  if (!call.handedOffAt) return [];
  const t0 = Date.parse(call.startedAt);
  const until = call.agentAnsweredAt ?? call.endedAt;
  if (!until) return [];
  return [{ startMs: Date.parse(call.handedOffAt) - t0, endMs: Date.parse(until) - t0 }];
}
