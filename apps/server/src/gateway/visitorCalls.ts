// The widget socket's call button: a visitor's `call.start` offer is answered with a WebRTC leg that
// goes to the voice bot; the visitor hears where the call stands (bot, waiting, agent) and when it ends.
// One call per socket; closing the socket hangs up.
import type { WidgetServerFrame } from '@zhike/contracts';
import type { Inbox } from '@zhike/core';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { BrowserCallError, type BrowserCalls, callErrorOf } from '../voice/webrtc/browserCalls.ts';
import type { WebRtcLeg } from '../voice/webrtc/webRtcLeg.ts';
import { parseWidgetCallFrame } from './callFrames.ts';
import { send } from './hub.ts';

/** A workspace takes calls once it has an enabled voice inbox (its phone line and speech settings). */
export function takesCalls(inboxes: readonly Inbox[]): boolean {
  return inboxes.some((inbox) => inbox.channel === 'voice' && inbox.enabled);
}

export interface VisitorCallContext {
  workspaceId: string;
  inboxId: string;
  visitorId: string;
  /** Whether the workspace takes calls now (read per call: settings change while sockets stay open). */
  enabled: () => Promise<boolean>;
}

export function visitorCallSession(
  calls: BrowserCalls | null,
  socket: WebSocket,
  visitor: VisitorCallContext,
  log: FastifyBaseLogger,
) {
  let current: { callId: string; leg: WebRtcLeg; stop: () => void } | null = null;
  let starting = false;
  const reply = (frame: WidgetServerFrame) => send(socket, frame);

  async function start(sdp: string): Promise<void> {
    if (!calls || !(await visitor.enabled()))
      throw new BrowserCallError('unavailable', 'This shop does not take calls in the browser');
    if (current || starting) throw new BrowserCallError('conflict', 'A call is already running');
    starting = true;
    try {
      const call = await calls.startVisitorCall(visitor, sdp);
      if (socket.readyState !== socket.OPEN) {
        call.leg.close();
        return;
      }
      const stop = calls.liveCalls.onEvent((event) => {
        if (event.type === 'state' && event.callId === call.callId && event.state !== 'ended')
          reply({ type: 'call.state', callId: call.callId, state: event.state });
      });
      const mine = { callId: call.callId, leg: call.leg, stop };
      current = mine;
      void call.leg.closed.then(() => {
        stop();
        if (current === mine) current = null;
        reply({ type: 'call.ended', callId: call.callId, reason: call.leg.closeReason ?? 'ended' });
      });
      reply({ type: 'call.answer', callId: call.callId, sdp: call.answerSdp });
    } finally {
      starting = false;
    }
  }

  return {
    /** Handles one frame whose type starts with `call.`; failures go back as `call.error`. */
    async handle(value: unknown): Promise<void> {
      const frame = parseWidgetCallFrame(value);
      try {
        if (!frame) throw new BrowserCallError('bad_offer', 'Malformed call frame');
        if (frame.type === 'call.hangup') {
          current?.leg.close();
          return;
        }
        await start(frame.sdp);
      } catch (error) {
        const { code, message } = callErrorOf(error);
        if (code === 'internal') log.error({ err: error }, 'visitor call failed');
        reply({ type: 'call.error', code, detail: message, ...(current ? { callId: current.callId } : {}) });
      }
    },
    close(): void {
      current?.leg.close();
    },
  };
}
