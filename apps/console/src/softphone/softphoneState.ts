// What the softphone shows, as a pure reducer over console frames and the agent's clicks: calls ringing
// for this agent (offered to everyone, or transferred to them), and the one call they are on, with its
// mute/hold flags and live transcript. Kept free of React and WebRTC so it is tested directly.
import type {
  CallbackProgress,
  CallErrorCode,
  CallTranscriptLine,
  ConsoleServerFrame,
  Suggestion,
} from '@zhike/contracts';

/** Why a call-back did not connect. */
export type CallbackFailure = Exclude<CallbackProgress, 'dialling' | 'ringing' | 'answered'>;

export interface RingingCall {
  callId: string;
  conversationId: string;
  from: string;
  transport: 'sip' | 'webrtc';
}

export interface ActiveCall extends RingingCall {
  /** 'dialling' and 'ringing': a call-back not answered yet (callId '' until the server stored it). */
  phase: 'dialling' | 'ringing' | 'connecting' | 'connected' | 'ended';
  /** A call-back the agent placed (rather than a call they answered). */
  outbound: boolean;
  /** How a call-back ended without connecting. */
  outcome: CallbackFailure | null;
  muted: boolean;
  held: boolean;
  /** Epoch ms the agent answered (the timer's zero). */
  answeredAt: number;
  transcript: CallTranscriptLine[];
  /** Agent assist's replies for the caller's latest words (transcript line `seq`). */
  suggestions: { seq: number; items: Suggestion[] } | null;
}

export interface SoftphoneState {
  ringing: RingingCall[];
  active: ActiveCall | null;
  /** The last failure to show (cleared by the next action). */
  error: CallErrorCode | 'no-mic' | null;
}

export type SoftphoneAction =
  | { kind: 'frame'; frame: ConsoleServerFrame; userId: string }
  | { kind: 'answer'; callId: string; at: number }
  /** The agent calls a customer back (from a conversation, or the customer's page). */
  | { kind: 'dial'; conversationId: string | null; at: number }
  | { kind: 'reject'; callId: string }
  | { kind: 'muted'; muted: boolean }
  | { kind: 'held'; held: boolean }
  | { kind: 'failed'; error: CallErrorCode | 'no-mic' }
  /** The agent hung up (the server's state frame may follow, or not if the socket is gone). */
  | { kind: 'hungUp' }
  | { kind: 'dismiss' };

export const initialSoftphone: SoftphoneState = { ringing: [], active: null, error: null };

/** Most transcript lines kept on screen; a long call scrolls the oldest away. */
const MAX_LINES = 200;

export function softphoneReducer(state: SoftphoneState, action: SoftphoneAction): SoftphoneState {
  switch (action.kind) {
    case 'frame':
      return onFrame(state, action.frame, action.userId);
    case 'answer': {
      const call = state.ringing.find((c) => c.callId === action.callId);
      if (!call || state.active) return state;
      return {
        ringing: state.ringing.filter((c) => c.callId !== action.callId),
        active: {
          ...call,
          phase: 'connecting',
          outbound: false,
          outcome: null,
          muted: false,
          held: false,
          answeredAt: action.at,
          transcript: [],
          suggestions: null,
        },
        error: null,
      };
    }
    case 'dial':
      if (state.active && state.active.phase !== 'ended') return state;
      return {
        ...state,
        active: {
          callId: '',
          conversationId: action.conversationId ?? '',
          from: '',
          transport: 'sip',
          phase: 'dialling',
          outbound: true,
          outcome: null,
          muted: false,
          held: false,
          answeredAt: action.at,
          transcript: [],
          suggestions: null,
        },
        error: null,
      };
    case 'reject':
      return { ...state, ringing: state.ringing.filter((c) => c.callId !== action.callId), error: null };
    case 'muted':
      return state.active ? { ...state, active: { ...state.active, muted: action.muted } } : state;
    case 'held':
      return state.active ? { ...state, active: { ...state.active, held: action.held } } : state;
    case 'failed':
      return {
        ...state,
        error: action.error,
        active: state.active ? { ...state.active, phase: 'ended' } : null,
      };
    case 'hungUp':
      return state.active ? { ...state, active: { ...state.active, phase: 'ended' } } : state;
    case 'dismiss':
      return { ...state, active: state.active?.phase === 'ended' ? null : state.active, error: null };
  }
}

function onFrame(state: SoftphoneState, frame: ConsoleServerFrame, userId: string): SoftphoneState {
  switch (frame.type) {
    case 'call.offered': {
      if (frame.toUserId !== null && frame.toUserId !== userId) return state;
      if (state.active?.callId === frame.call.callId && state.active.phase !== 'ended') return state;
      if (state.ringing.some((c) => c.callId === frame.call.callId)) return state;
      return { ...state, ringing: [...state.ringing, { ...frame.call }] };
    }
    case 'call.answer': {
      // The server stored our call-back: from now on it is known by its id.
      const active = state.active;
      if (!active?.outbound || active.callId !== '' || frame.conversationId === undefined) return state;
      return { ...state, active: { ...active, callId: frame.callId, conversationId: frame.conversationId } };
    }
    case 'call.progress': {
      const active = state.active;
      if (!active || active.callId !== frame.callId) return state;
      const p = frame.progress;
      // Why it failed is shown even when the call's state frame ended it first.
      if (active.phase === 'ended')
        return p === 'dialling' || p === 'ringing' || p === 'answered' || active.outcome
          ? state
          : { ...state, active: { ...active, outcome: p } };
      if (p === 'dialling') return state;
      if (p === 'ringing')
        return active.phase === 'dialling' ? { ...state, active: { ...active, phase: 'ringing' } } : state;
      if (p === 'answered')
        return active.phase === 'connected'
          ? state
          : { ...state, active: { ...active, phase: 'connecting' } };
      return { ...state, active: { ...active, phase: 'ended', outcome: p } };
    }
    case 'call.state': {
      // Someone picked it up, the bot took it back, or it ended: it rings no longer.
      const ringing =
        frame.state === 'queued' ? state.ringing : state.ringing.filter((c) => c.callId !== frame.callId);
      const active = state.active;
      if (!active || active.callId !== frame.callId || frame.state === 'ringing')
        return { ...state, ringing };
      const mine = frame.state === 'agent' && frame.agentId === userId;
      return { ...state, ringing, active: { ...active, phase: mine ? 'connected' : 'ended' } };
    }
    case 'call.transcript': {
      const active = state.active;
      if (
        !active ||
        active.callId !== frame.callId ||
        active.transcript.some((l) => l.seq === frame.line.seq)
      )
        return state;
      const transcript = [...active.transcript, frame.line].sort((a, b) => a.seq - b.seq).slice(-MAX_LINES);
      return { ...state, active: { ...active, transcript } };
    }
    case 'call.suggestions': {
      const active = state.active;
      // Suggestions for older words than those shown are stale (they answered slower).
      if (!active || active.callId !== frame.callId || (active.suggestions?.seq ?? -1) > frame.seq)
        return state;
      return { ...state, active: { ...active, suggestions: { seq: frame.seq, items: frame.suggestions } } };
    }
    case 'call.error': {
      const ringing = frame.callId ? state.ringing.filter((c) => c.callId !== frame.callId) : state.ringing;
      const active =
        state.active && (!frame.callId || frame.callId === state.active.callId)
          ? { ...state.active, phase: 'ended' as const }
          : state.active;
      return { ringing, active, error: frame.code };
    }
    default:
      return state;
  }
}
