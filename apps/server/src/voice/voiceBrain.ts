// The brain every call talks to, on top of the text bot: each thing the caller says is accepted as the
// customer's message on the call's conversation (key `<callId>:<turn>`, so a repeated turn stores
// nothing new), the same bot turn as on every other channel runs, and its reply text is what the call
// speaks. A bot hand-off makes the call go to people; silence and no-match prompts come from the voice
// catalog; "press 0" stands for the hand-off request in the workspace's language.
import type { IdentityKind, Message } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { BrainReply, CallEndReason, CallerInput, CallStart, VoiceBrain } from '@zhike/voice';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';
import { promptsFor, type VoicePrompts } from './prompts.ts';

/** What the brain knows about one live call; voiceCalls registers it before the pipeline starts. */
export interface BrainCall {
  /** The id the pipeline knows the call by (CallStart.callId: a SIP Call-ID or the browser leg's id). */
  callId: string;
  /** The stored call's id: the customer messages' idempotency keys are `<recordId>:<turn>`. */
  recordId: string;
  workspaceId: string;
  inboxId: string;
  conversationId: string;
  identity: { kind: IdentityKind; value: string };
  locale: string;
  /** Spoken first: the greeting (the recording notice, when played, goes before it). */
  greeting: string;
  recordingNotice: string | null;
  /** Milliseconds since the call started, for transcript segments written here. */
  elapsedMs: () => number;
  /** Every line either side said, as the brain saw it (the stored transcript's fallback). */
  onLine?: (line: { speaker: 'caller' | 'bot'; text: string; atMs: number }) => void;
}

export interface VoiceBrainDeps {
  db: Database;
  commands: Commands;
  log: Logger;
  /** How long to wait for a bot turn that the job worker took first (default 8 s). */
  turnWaitMs?: number;
}

/** Consecutive silences before the bot says goodbye; consecutive no-matches before it hands off. */
const MAX_SILENCES = 2;
const MAX_NO_MATCH = 2;

interface CallState extends BrainCall {
  turn: number;
  silences: number;
  noMatches: number;
  prompts: VoicePrompts;
}

export interface ServerVoiceBrain extends VoiceBrain {
  register(call: BrainCall): void;
  /** Forgets a call without waiting for `end` (the call failed before the pipeline ran). */
  forget(callId: string): void;
}

export function createVoiceBrain(deps: VoiceBrainDeps): ServerVoiceBrain {
  const calls = new Map<string, CallState>();
  const waitMs = deps.turnWaitMs ?? 8000;

  const stateOf = (callId: string): CallState => {
    const state = calls.get(callId);
    if (!state) throw new Error(`no live call ${callId}`);
    return state;
  };

  const speak = (
    state: CallState,
    say: string[],
    next: BrainReply['next'],
    extra: Partial<BrainReply> = {},
  ) => {
    for (const text of say) state.onLine?.({ speaker: 'bot', text, atMs: state.elapsedMs() });
    return { say, next, ...extra } satisfies BrainReply;
  };

  /** The bot's messages after the caller's, once the turn is stored (by us or by the job worker). */
  const repliesAfter = async (state: CallState, message: Message): Promise<Message[] | null> => {
    const store = deps.db.forWorkspace(state.workspaceId);
    const answered = await store.messages.findByIdempotencyKey(state.inboxId, `bot:${message.id}`);
    const conversation = await store.conversations.get(state.conversationId);
    const after = await store.messages.listAfter(state.conversationId, message.id, 50);
    const spoken = after.filter(
      (m) => (m.author === 'bot' || m.author === 'system') && !m.metadata?.internal && m.text.trim() !== '',
    );
    // Done when the bot answered, or handed off / went silent (no answer comes then).
    if (answered || spoken.length > 0 || (conversation && !conversation.botActive)) return spoken;
    return null;
  };

  const botTurn = async (state: CallState, text: string): Promise<BrainReply> => {
    const key = `${state.recordId}:${state.turn++}`;
    state.onLine?.({ speaker: 'caller', text, atMs: state.elapsedMs() });
    const received = await deps.commands.receiveCustomerMessage(state.workspaceId, {
      inboxId: state.inboxId,
      identity: { ...state.identity, verified: false },
      text,
      idempotencyKey: key,
      clientMessageId: key,
      conversationId: state.conversationId,
    });
    let outcome: 'answered' | 'handed_off' | 'silent' = 'silent';
    try {
      outcome = await deps.commands.runBotTurn(state.workspaceId, {
        conversationId: received.conversation.id,
        messageId: received.message.id,
      });
    } catch (error) {
      // The durable bot.reply job may have taken this turn at the same moment: its answer stands.
      deps.log.debug({ err: error, callId: state.callId }, 'voice bot turn raced the job worker');
    }
    let replies = await repliesAfter(state, received.message);
    const deadline = Date.now() + waitMs;
    while (replies === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      replies = await repliesAfter(state, received.message);
    }
    const conversation = await deps.db
      .forWorkspace(state.workspaceId)
      .conversations.get(state.conversationId);
    const say = (replies ?? []).map((m) => m.text.trim());
    if (outcome === 'handed_off' || conversation?.handedOff) {
      return speak(state, say.length > 0 ? say : [state.prompts.giveUp], 'handoff', {
        ...(conversation?.queueId ? { queueId: conversation.queueId } : {}),
      });
    }
    if (say.length === 0) return speak(state, [state.prompts.noMatch], 'listen');
    return speak(state, say, 'listen');
  };

  return {
    register(call) {
      calls.set(call.callId, {
        ...call,
        turn: 0,
        silences: 0,
        noMatches: 0,
        prompts: promptsFor(call.locale),
      });
    },
    forget(callId) {
      calls.delete(callId);
    },
    async start(call: CallStart) {
      const state = stateOf(call.callId);
      const say = [...(state.recordingNotice ? [state.recordingNotice] : []), state.greeting];
      return speak(state, say, 'listen');
    },
    async turn(callId: string, input: CallerInput) {
      const state = stateOf(callId);
      if (input.kind === 'silence') {
        state.silences++;
        if (state.silences > MAX_SILENCES) return speak(state, [state.prompts.goodbye], 'hangup');
        return speak(state, [state.prompts.silence], 'listen');
      }
      state.silences = 0;
      if (input.kind === 'digits') {
        // Keypad 0 on its own is the IVR's "a person, please"; other digits are what the caller typed.
        const digits = input.digits.replace(/#$/, '');
        if (digits === '0') return botTurn(state, state.prompts.handoffRequest);
        if (digits === '') return speak(state, [state.prompts.noMatch], 'listen');
        return botTurn(state, digits);
      }
      const text = input.text.trim();
      if (text === '') {
        state.noMatches++;
        if (state.noMatches >= MAX_NO_MATCH) {
          state.noMatches = 0;
          return botTurn(state, state.prompts.handoffRequest);
        }
        return speak(state, [state.prompts.noMatch], 'listen');
      }
      state.noMatches = 0;
      return botTurn(state, text.slice(0, 2000));
    },
    async end(callId: string, _reason: CallEndReason) {
      calls.delete(callId);
    },
  };
}
