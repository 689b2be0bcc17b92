// The calls running in this process (a per-app registry, built by the composition root): what the
// console's softphone acts on. After a hand-off the caller waits on hold; `connectAgent` bridges the
// caller's leg with the agent's (browser) leg both ways; transfer, hold, mute and hang-up act on that
// bridge. Listeners get each call's state changes and live transcript lines for the console.
import type { CallState, TranscriptSegment } from '@zhike/core';
import type { MediaLeg, Unsubscribe } from '@zhike/voice';

export type LiveCallEvent =
  | {
      type: 'state';
      workspaceId: string;
      callId: string;
      conversationId: string;
      state: CallState;
      agentId: string | null;
    }
  | {
      type: 'transcript';
      workspaceId: string;
      callId: string;
      conversationId: string;
      segment: TranscriptSegment;
    };

/** What voiceCalls hands the registry for one call; the hooks are how a call's owner reacts. */
export interface LiveCallControl {
  callId: string;
  workspaceId: string;
  conversationId: string;
  caller: MediaLeg;
  /** The bridge is up: stop the hold prompt, record the agent as answering, transcribe both sides. */
  onAgentConnected(agentId: string, agentLeg: MediaLeg): Promise<void>;
  /** The agent left without ending the call (transfer): hold again until the next one connects. */
  onAgentLeft(next: { toAgentId: string | null }): Promise<void>;
  /** The agent ended the call (their leg closed or they hung up), before the caller's leg closes. */
  onAgentHungUp(): void;
  /** Back to the bot: the caller talks to the voice bot again. */
  onBackToBot(): Promise<void>;
  /** The agent put the caller on hold or took them off it (quality inspection times holds). */
  onHold?(held: boolean): void;
}

interface Entry extends LiveCallControl {
  state: CallState;
  agentId: string | null;
  agentLeg: MediaLeg | null;
  unbridge: Unsubscribe | null;
  muted: boolean;
  held: boolean;
}

export class LiveCallError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'LiveCallError';
  }
}

export interface LiveCalls {
  add(control: LiveCallControl, state: CallState): void;
  remove(callId: string): void;
  setState(callId: string, state: CallState): void;
  get(
    workspaceId: string,
    callId: string,
  ): { callId: string; conversationId: string; state: CallState; agentId: string | null } | null;
  list(
    workspaceId: string,
  ): { callId: string; conversationId: string; state: CallState; agentId: string | null }[];
  connectAgent(workspaceId: string, callId: string, agentId: string, leg: MediaLeg): Promise<void>;
  /** Hands the call to another agent: this agent's leg closes, the caller holds until they connect. */
  transferToAgent(workspaceId: string, callId: string, toAgentId: string): Promise<void>;
  transferToBot(workspaceId: string, callId: string): Promise<void>;
  hangup(workspaceId: string, callId: string): void;
  /** The agent's microphone: muted, the caller hears nothing from them. */
  mute(workspaceId: string, callId: string, muted: boolean): void;
  /** Hold: neither side hears the other. */
  hold(workspaceId: string, callId: string, held: boolean): void;
  emit(event: LiveCallEvent): void;
  onEvent(listener: (event: LiveCallEvent) => void): Unsubscribe;
  /** Ends every call (shutdown). */
  closeAll(): void;
}

/** Forwards each frame one way; muted/held frames are not forwarded (the far side hears silence). */
function forward(from: MediaLeg, to: MediaLeg, pass: () => boolean): Unsubscribe {
  return from.onAudio((frame) => {
    if (pass()) to.play(frame);
  });
}

export function createLiveCalls(): LiveCalls {
  const calls = new Map<string, Entry>();
  const listeners = new Set<(event: LiveCallEvent) => void>();

  const find = (workspaceId: string, callId: string): Entry => {
    const entry = calls.get(callId);
    // Another workspace's call is as absent as no call.
    if (!entry || entry.workspaceId !== workspaceId)
      throw new LiveCallError('not_found', 'No such live call');
    return entry;
  };
  const view = (e: Entry) => ({
    callId: e.callId,
    conversationId: e.conversationId,
    state: e.state,
    agentId: e.agentId,
  });
  const emit = (event: LiveCallEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A listener's fault (a closed socket) must not break the call.
      }
    }
  };
  const emitState = (e: Entry) =>
    emit({
      type: 'state',
      workspaceId: e.workspaceId,
      callId: e.callId,
      conversationId: e.conversationId,
      state: e.state,
      agentId: e.agentId,
    });
  const dropAgent = (e: Entry) => {
    e.unbridge?.();
    e.unbridge = null;
    const leg = e.agentLeg;
    e.agentLeg = null;
    e.agentId = null;
    e.muted = false;
    // A hold ends with the agent who held (transfer, back to the bot, hang-up).
    if (e.held) e.onHold?.(false);
    e.held = false;
    leg?.close();
  };

  return {
    add(control, state) {
      calls.set(control.callId, {
        ...control,
        state,
        agentId: null,
        agentLeg: null,
        unbridge: null,
        muted: false,
        held: false,
      });
      control.caller.closed.then(
        () => {
          const e = calls.get(control.callId);
          if (e) dropAgent(e);
        },
        () => {},
      );
    },
    remove(callId) {
      const e = calls.get(callId);
      if (!e) return;
      dropAgent(e);
      calls.delete(callId);
    },
    setState(callId, state) {
      const e = calls.get(callId);
      if (!e || e.state === state) return;
      e.state = state;
      emitState(e);
    },
    get(workspaceId, callId) {
      const e = calls.get(callId);
      return e && e.workspaceId === workspaceId ? view(e) : null;
    },
    list(workspaceId) {
      return [...calls.values()].filter((e) => e.workspaceId === workspaceId).map(view);
    },
    async connectAgent(workspaceId, callId, agentId, leg) {
      const e = find(workspaceId, callId);
      if (e.state !== 'queued') {
        leg.close();
        throw new LiveCallError(
          'conflict',
          e.state === 'agent' ? 'An agent has taken this call' : 'The call is not waiting for an agent',
        );
      }
      e.caller.stopPlayback();
      e.agentId = agentId;
      e.agentLeg = leg;
      const toCaller = forward(leg, e.caller, () => !e.muted && !e.held);
      const toAgent = forward(e.caller, leg, () => !e.held);
      e.unbridge = () => {
        toCaller();
        toAgent();
      };
      // The agent hanging up ends the call for the caller too (a transfer detaches the leg first).
      leg.closed.then(
        () => {
          if (calls.get(callId) !== e || e.agentLeg !== leg) return;
          e.onAgentHungUp();
          e.caller.close();
        },
        () => {},
      );
      e.state = 'agent';
      await e.onAgentConnected(agentId, leg);
      emitState(e);
    },
    async transferToAgent(workspaceId, callId, toAgentId) {
      const e = find(workspaceId, callId);
      if (e.state !== 'agent')
        throw new LiveCallError('conflict', 'Only a call with an agent can be transferred');
      dropAgent(e);
      e.state = 'queued';
      await e.onAgentLeft({ toAgentId });
      emitState(e);
    },
    async transferToBot(workspaceId, callId) {
      const e = find(workspaceId, callId);
      if (e.state !== 'agent' && e.state !== 'queued')
        throw new LiveCallError('conflict', 'The bot is on this call already');
      dropAgent(e);
      e.state = 'bot';
      await e.onBackToBot();
      emitState(e);
    },
    hangup(workspaceId, callId) {
      const e = find(workspaceId, callId);
      if (e.agentLeg) e.onAgentHungUp();
      dropAgent(e);
      e.caller.close();
    },
    mute(workspaceId, callId, muted) {
      const e = find(workspaceId, callId);
      if (!e.agentLeg) throw new LiveCallError('conflict', 'No agent is on this call');
      e.muted = muted;
    },
    hold(workspaceId, callId, held) {
      const e = find(workspaceId, callId);
      if (!e.agentLeg) throw new LiveCallError('conflict', 'No agent is on this call');
      if (e.held !== held) e.onHold?.(held);
      e.held = held;
    },
    emit,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    closeAll() {
      for (const e of calls.values()) {
        dropAgent(e);
        e.caller.close();
      }
    },
  };
}
