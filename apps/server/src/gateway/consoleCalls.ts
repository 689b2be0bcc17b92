// The console socket's softphone: live-call events become call frames for the workspace's consoles
// (a queued call rings every agent, or the one it was transferred to), and an agent's call frames answer,
// mute, hold, hang up or transfer. One socket holds at most one answered leg; closing the socket hangs up.
import type { ConsoleServerFrame } from '@zhike/contracts';
import { can, type Permission } from '@zhike/core';
import { maskPhone } from '@zhike/security';
import type { WebSocket } from 'ws';
import type { AppContext } from '../context.ts';
import type { CallbackProgress } from '../voice/callback.ts';
import {
  BrowserCallError,
  type BrowserCalls,
  callErrorOf,
  type LiveCallEventView,
} from '../voice/webrtc/browserCalls.ts';
import type { WebRtcLeg } from '../voice/webrtc/webRtcLeg.ts';
import { parseConsoleCallFrame } from './callFrames.ts';
import { send } from './hub.ts';

/** What a caller is shown as on the ringing softphone: a masked number, or nothing for web visitors. */
function callerLabel(transport: string, fromUri: string): string {
  if (transport === 'webrtc') return '';
  const user = /^(?:sips?:)?([^@;]+)/i.exec(fromUri)?.[1] ?? '';
  return /\d{3,}/.test(user) ? maskPhone(user) : user.slice(0, 40);
}

/**
 * Agent assist on a call: what the caller said to the agent is read like a customer message (not
 * stored: the call's transcript is its record) and the suggestions go to the workspace's consoles.
 */
async function suggestForCaller(
  ctx: AppContext,
  calls: BrowserCalls,
  event: Extract<LiveCallEventView, { type: 'transcript' }>,
): Promise<void> {
  const live = calls.liveCalls.get(event.workspaceId, event.callId);
  if (!live?.agentId || !ctx.hub.hasConsoles(event.workspaceId)) return;
  const store = ctx.db.forWorkspace(event.workspaceId);
  const conversation = await store.conversations.get(event.conversationId);
  if (!conversation) return;
  const result = await ctx.assist.forMessage(event.workspaceId, {
    conversation,
    message: {
      // A fresh time-ordered id: the customer's earlier messages are the ones before it.
      id: ctx.newId(),
      workspaceId: event.workspaceId,
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      author: 'customer',
      authorUserId: null,
      text: event.segment.text,
      attachments: [],
      idempotencyKey: null,
      clientMessageId: null,
      createdAt: ctx.clock.now().toISOString(),
    },
    agentId: live.agentId,
  });
  ctx.hub.toConsoles(event.workspaceId, {
    type: 'call.suggestions',
    callId: event.callId,
    conversationId: conversation.id,
    seq: event.segment.seq,
    suggestions: result.suggestions,
  });
}

/** Relays the registry's events to the consoles of each call's workspace; returns the unsubscribe. */
export function relayLiveCalls(ctx: AppContext, calls: BrowserCalls): () => void {
  return calls.liveCalls.onEvent((event) => {
    if (event.type === 'transcript') {
      const { seq, speaker, text, startMs, endMs } = event.segment;
      ctx.hub.toConsoles(event.workspaceId, {
        type: 'call.transcript',
        callId: event.callId,
        conversationId: event.conversationId,
        line: { seq, speaker, text, startMs, endMs },
      });
      if (speaker === 'caller' && text.trim())
        void suggestForCaller(ctx, calls, event).catch((err: unknown) =>
          ctx.log.warn({ err, callId: event.callId }, 'call suggestions failed'),
        );
      return;
    }
    ctx.hub.toConsoles(event.workspaceId, {
      type: 'call.state',
      callId: event.callId,
      conversationId: event.conversationId,
      state: event.state,
      agentId: event.agentId,
    });
    if (event.state !== 'queued') return;
    const toUserId = calls.takeTransferTarget(event.callId);
    void ctx.db
      .forWorkspace(event.workspaceId)
      .voice.calls.get(event.callId)
      .then((call) =>
        ctx.hub.toConsoles(event.workspaceId, {
          type: 'call.offered',
          call: {
            callId: event.callId,
            conversationId: event.conversationId,
            from: call ? callerLabel(call.transport, call.fromUri) : '',
            transport: call?.transport ?? 'sip',
          },
          toUserId,
        }),
      )
      .catch((err: unknown) => ctx.log.warn({ err, callId: event.callId }, 'call offer not sent'));
  });
}

const ANSWER_NEEDS: Permission[] = ['conversations.reply', 'calls.read'];

/** The call side of one console socket. `handle` takes any parsed JSON the socket received. */
export function softphoneSession(
  calls: BrowserCalls | null,
  socket: WebSocket,
  agent: { workspaceId: string; userId: string; permissions: ReadonlySet<Permission> },
) {
  let current: { callId: string; leg: WebRtcLeg } | null = null;
  const reply = (frame: ConsoleServerFrame) => send(socket, frame);
  const fail = (error: unknown, callId?: string) => {
    const { code, message } = callErrorOf(error);
    reply({ type: 'call.error', code, detail: message, ...(callId ? { callId } : {}) });
  };

  async function handle(value: unknown): Promise<void> {
    const frame = parseConsoleCallFrame(value);
    const claimed = (value as { callId?: unknown }).callId;
    const callIdOf = typeof claimed === 'string' && claimed.length <= 100 ? claimed : undefined;
    if (!frame) {
      reply({
        type: 'call.error',
        code: 'bad_offer',
        detail: 'Malformed call frame',
        ...(callIdOf ? { callId: callIdOf } : {}),
      });
      return;
    }
    try {
      if (!calls) throw new BrowserCallError('unavailable', 'Calls are not enabled on this server');
      if (!ANSWER_NEEDS.every((p) => can(agent.permissions, p)))
        throw new BrowserCallError('forbidden', 'Your role may not take calls');
      const { workspaceId, userId } = agent;
      switch (frame.type) {
        case 'call.answer': {
          if (current) throw new BrowserCallError('conflict', 'Hang up the current call first');
          const answered = await calls.answerAsAgent(workspaceId, userId, frame.callId, frame.sdp);
          if (socket.readyState !== socket.OPEN) {
            answered.leg.close();
            return;
          }
          const mine = { callId: frame.callId, leg: answered.leg };
          current = mine;
          void answered.leg.closed.then(() => {
            if (current === mine) current = null;
          });
          reply({ type: 'call.answer', callId: frame.callId, sdp: answered.answerSdp });
          return;
        }
        case 'call.dial': {
          if (current) throw new BrowserCallError('conflict', 'Hang up the current call first');
          const { type: _type, sdp, ...request } = frame;
          // Progress before the reply (a dial failing at once) is held until the answer went out.
          let replied = false;
          const early: ConsoleServerFrame[] = [];
          let callIdOfDial = '';
          const onProgress = (progress: CallbackProgress) => {
            const out: ConsoleServerFrame = { type: 'call.progress', callId: callIdOfDial, progress };
            if (replied) reply(out);
            else early.push(out);
          };
          const dialled = await calls.callBack({ workspaceId, agentId: userId }, request, sdp, onProgress);
          callIdOfDial = dialled.callId;
          if (socket.readyState !== socket.OPEN) {
            dialled.leg.close();
            return;
          }
          const mine = { callId: dialled.callId, leg: dialled.leg };
          current = mine;
          void dialled.leg.closed.then(() => {
            if (current === mine) current = null;
          });
          reply({
            type: 'call.answer',
            callId: dialled.callId,
            conversationId: dialled.conversationId,
            sdp: dialled.answerSdp,
          });
          replied = true;
          for (const out of early) reply({ ...out, callId: dialled.callId } as ConsoleServerFrame);
          return;
        }
        case 'call.mute':
          calls.mute(workspaceId, userId, frame.callId, frame.muted);
          return;
        case 'call.hold':
          calls.hold(workspaceId, userId, frame.callId, frame.held);
          return;
        case 'call.hangup':
          // A call-back still ringing is not in the live calls yet: closing the agent's leg cancels it.
          if (current?.callId === frame.callId && !calls.liveCalls.get(workspaceId, frame.callId)) {
            current.leg.close();
            return;
          }
          calls.hangup(workspaceId, userId, frame.callId);
          return;
        case 'call.transfer':
          await calls.transfer(workspaceId, userId, frame.callId, frame.to);
          return;
      }
    } catch (error) {
      fail(error, 'callId' in frame ? frame.callId : undefined);
    }
  }

  return {
    handle,
    /** The console closed (tab gone, signed out): its leg closes, which ends the agent's part. */
    close() {
      current?.leg.close();
      current = null;
    },
  };
}
