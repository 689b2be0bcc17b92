// Browser calls as the sockets use them: a visitor's call from the widget (a WebRTC leg handed to the
// one entry point every call goes through) and an agent's softphone leg bridged to a waiting call, with
// the softphone's controls. The call logic itself (bot, hold, bridge, recording) belongs to voiceCalls
// and liveCalls; this file only answers offers and checks who may do what.
import type { CallErrorCode } from '@zhike/contracts';
import type { CallStart, MediaLeg, Unsubscribe } from '@zhike/voice';
import type { CallbackProgress, Callbacks } from '../callback.ts';
import { answerBrowserOffer, OfferRejected, type WebRtcIceConfig } from './answerOffer.ts';
import type { WebRtcLeg } from './webRtcLeg.ts';

export type LiveCallStateName = 'ringing' | 'bot' | 'queued' | 'agent' | 'ended';

/** What this file needs of the server's voiceCalls (its startInbound). */
export interface CallEntryPort {
  startInbound(input: {
    workspaceId: string;
    inboxId: string;
    leg: MediaLeg;
    start: CallStart;
  }): Promise<{ callId: string; conversationId: string; done: Promise<unknown> }>;
}

export type LiveCallEventView =
  | {
      type: 'state';
      workspaceId: string;
      callId: string;
      conversationId: string;
      state: LiveCallStateName;
      agentId: string | null;
    }
  | {
      type: 'transcript';
      workspaceId: string;
      callId: string;
      conversationId: string;
      segment: {
        seq: number;
        speaker: 'caller' | 'bot' | 'agent';
        text: string;
        startMs: number;
        endMs: number;
      };
    };

/** What this file needs of the server's liveCalls registry. */
export interface LiveCallsPort {
  get(
    workspaceId: string,
    callId: string,
  ): { callId: string; conversationId: string; state: LiveCallStateName; agentId: string | null } | null;
  connectAgent(workspaceId: string, callId: string, agentId: string, leg: MediaLeg): Promise<void>;
  transferToAgent(workspaceId: string, callId: string, toAgentId: string): Promise<void>;
  transferToBot(workspaceId: string, callId: string): Promise<void>;
  hangup(workspaceId: string, callId: string): void;
  mute(workspaceId: string, callId: string, muted: boolean): void;
  hold(workspaceId: string, callId: string, held: boolean): void;
  onEvent(listener: (event: LiveCallEventView) => void): Unsubscribe;
}

export class BrowserCallError extends Error {
  constructor(
    readonly code: CallErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BrowserCallError';
  }
}

/** Maps liveCalls' and the answerer's failures to the socket's error codes; unknown ones are internal. */
export function callErrorOf(error: unknown): BrowserCallError {
  if (error instanceof BrowserCallError) return error;
  if (error instanceof OfferRejected) return new BrowserCallError('bad_offer', error.message);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'not_found' || code === 'conflict' || code === 'unavailable')
    return new BrowserCallError(code, (error as Error).message);
  if (code === 'validation_failed') return new BrowserCallError('invalid', (error as Error).message);
  return new BrowserCallError('internal', 'The call failed on the server');
}

export interface BrowserCallsDeps {
  calls: CallEntryPort;
  liveCalls: LiveCallsPort;
  ice: WebRtcIceConfig;
  /** Agents' call-backs over the SIP lines; null when the server places no phone calls. */
  callbacks?: Callbacks | null;
  newId: () => string;
  now: () => Date;
}

export interface VisitorCall {
  callId: string;
  conversationId: string;
  answerSdp: string;
  leg: WebRtcLeg;
}

export interface BrowserCalls {
  readonly liveCalls: LiveCallsPort;
  /** The widget's call button: answers the offer and starts the call with the voice bot. */
  startVisitorCall(
    visitor: { workspaceId: string; inboxId: string; visitorId: string; name?: string },
    offerSdp: string,
  ): Promise<VisitorCall>;
  /** An agent picks up a waiting call: their browser's leg is bridged to the caller. */
  answerAsAgent(
    workspaceId: string,
    agentId: string,
    callId: string,
    offerSdp: string,
  ): Promise<{ answerSdp: string; leg: WebRtcLeg }>;
  /** An agent calls a customer back: their browser's leg hears ring-back, then the customer. */
  callBack(
    agent: { workspaceId: string; agentId: string },
    request: {
      target: { conversationId: string } | { customerId: string };
      phone?: string;
      inboxId?: string;
    },
    offerSdp: string,
    onProgress: (progress: CallbackProgress) => void,
  ): Promise<{ callId: string; conversationId: string; answerSdp: string; leg: WebRtcLeg }>;
  mute(workspaceId: string, agentId: string, callId: string, muted: boolean): void;
  hold(workspaceId: string, agentId: string, callId: string, held: boolean): void;
  hangup(workspaceId: string, agentId: string, callId: string): void;
  transfer(
    workspaceId: string,
    agentId: string,
    callId: string,
    to: { kind: 'agent'; userId: string } | { kind: 'bot' },
  ): Promise<void>;
  /** The agent a call being re-queued was transferred to (once; null when it queued on its own). */
  takeTransferTarget(callId: string): string | null;
}

export function createBrowserCalls(deps: BrowserCallsDeps): BrowserCalls {
  const { liveCalls } = deps;
  const transferTargets = new Map<string, string>();
  const answer = (offerSdp: string) =>
    answerBrowserOffer(offerSdp, { ice: deps.ice, id: deps.newId() }).catch((error: unknown) => {
      throw callErrorOf(error);
    });

  /** Only the agent on the call controls it; another workspace's call is as absent as none. */
  const ownCall = (workspaceId: string, agentId: string, callId: string) => {
    const call = liveCalls.get(workspaceId, callId);
    if (!call) throw new BrowserCallError('not_found', 'No such live call');
    if (call.agentId !== agentId) throw new BrowserCallError('forbidden', 'Another agent holds this call');
    return call;
  };

  return {
    liveCalls,
    async startVisitorCall(visitor, offerSdp) {
      const { leg, answerSdp } = await answer(offerSdp);
      try {
        const started = await deps.calls.startInbound({
          workspaceId: visitor.workspaceId,
          inboxId: visitor.inboxId,
          leg,
          start: {
            callId: deps.newId(),
            direction: 'inbound',
            transport: 'webrtc',
            from: { uri: visitor.visitorId, ...(visitor.name ? { displayName: visitor.name } : {}) },
            to: { uri: `inbox:${visitor.inboxId}` },
            startedAt: deps.now(),
          },
        });
        return { callId: started.callId, conversationId: started.conversationId, answerSdp, leg };
      } catch (error) {
        leg.close();
        throw callErrorOf(error);
      }
    },

    async answerAsAgent(workspaceId, agentId, callId, offerSdp) {
      const call = liveCalls.get(workspaceId, callId);
      if (!call) throw new BrowserCallError('not_found', 'No such live call');
      if (call.state !== 'queued')
        throw new BrowserCallError('conflict', 'The call is not waiting for an agent');
      const { leg, answerSdp } = await answer(offerSdp);
      try {
        await liveCalls.connectAgent(workspaceId, callId, agentId, leg);
      } catch (error) {
        leg.close();
        throw callErrorOf(error);
      }
      return { answerSdp, leg };
    },

    async callBack(agent, request, offerSdp, onProgress) {
      const callbacks = deps.callbacks;
      if (!callbacks) throw new BrowserCallError('unavailable', 'Phone calls are not enabled on this server');
      const { leg, answerSdp } = await answer(offerSdp);
      try {
        const placed = await callbacks.place({
          workspaceId: agent.workspaceId,
          agentId: agent.agentId,
          target: request.target,
          ...(request.phone !== undefined ? { phone: request.phone } : {}),
          ...(request.inboxId !== undefined ? { inboxId: request.inboxId } : {}),
          agentLeg: leg,
          onProgress,
        });
        return { callId: placed.callId, conversationId: placed.conversationId, answerSdp, leg };
      } catch (error) {
        leg.close();
        throw callErrorOf(error);
      }
    },

    mute(workspaceId, agentId, callId, muted) {
      ownCall(workspaceId, agentId, callId);
      liveCalls.mute(workspaceId, callId, muted);
    },
    hold(workspaceId, agentId, callId, held) {
      ownCall(workspaceId, agentId, callId);
      liveCalls.hold(workspaceId, callId, held);
    },
    hangup(workspaceId, agentId, callId) {
      ownCall(workspaceId, agentId, callId);
      liveCalls.hangup(workspaceId, callId);
    },
    async transfer(workspaceId, agentId, callId, to) {
      ownCall(workspaceId, agentId, callId);
      if (to.kind === 'bot') await liveCalls.transferToBot(workspaceId, callId);
      else {
        if (to.userId === agentId) throw new BrowserCallError('conflict', 'The call is already yours');
        // Set before the transfer: the registry announces the re-queued call while transferring.
        transferTargets.set(callId, to.userId);
        try {
          await liveCalls.transferToAgent(workspaceId, callId, to.userId);
        } catch (error) {
          transferTargets.delete(callId);
          throw callErrorOf(error);
        }
      }
    },
    takeTransferTarget(callId) {
      const userId = transferTargets.get(callId) ?? null;
      transferTargets.delete(callId);
      return userId;
    },
  };
}
