// Browser calls against fakes of voiceCalls/liveCalls (real WebRTC offers from a werift "browser"), and
// the console softphone's socket handling: who may act, and malformed frames answered, never thrown.
import type { ConsoleServerFrame } from '@zhike/contracts';
import { rolePermissions } from '@zhike/core';
import type { MediaLeg } from '@zhike/voice';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import type { WebSocket } from 'ws';
import { softphoneSession } from '../../gateway/consoleCalls.ts';
import { waitForGathering } from './answerOffer.ts';
import { createBrowserCalls, type LiveCallEventView, type LiveCallsPort } from './browserCalls.ts';

const peers: RTCPeerConnection[] = [];
const legs: MediaLeg[] = [];
afterEach(async () => {
  for (const leg of legs.splice(0)) leg.close();
  for (const pc of peers.splice(0)) await pc.close().catch(() => {});
});

async function browserOffer(): Promise<string> {
  const pc = new RTCPeerConnection({
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
      ],
      video: [],
    },
    iceUseIpv6: false,
  });
  peers.push(pc);
  pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendrecv' });
  await pc.setLocalDescription(await pc.createOffer());
  await waitForGathering(pc);
  return pc.localDescription?.sdp ?? '';
}

function fakeLiveCalls() {
  const calls = new Map<
    string,
    { workspaceId: string; conversationId: string; state: 'bot' | 'queued' | 'agent'; agentId: string | null }
  >();
  const log: string[] = [];
  const listeners = new Set<(e: LiveCallEventView) => void>();
  const port: LiveCallsPort = {
    get: (ws, id) => {
      const c = calls.get(id);
      return c && c.workspaceId === ws
        ? { callId: id, conversationId: c.conversationId, state: c.state, agentId: c.agentId }
        : null;
    },
    async connectAgent(ws, id, agentId, leg) {
      legs.push(leg);
      const c = calls.get(id);
      if (!c || c.workspaceId !== ws)
        throw Object.assign(new Error('No such live call'), { code: 'not_found' });
      c.state = 'agent';
      c.agentId = agentId;
      log.push(`connect ${id} ${agentId} ${leg.codec}`);
    },
    async transferToAgent(_ws, id, to) {
      log.push(`transfer ${id} ${to}`);
    },
    async transferToBot(_ws, id) {
      log.push(`bot ${id}`);
    },
    hangup: (_ws, id) => log.push(`hangup ${id}`),
    mute: (_ws, id, muted) => log.push(`mute ${id} ${muted}`),
    hold: (_ws, id, held) => log.push(`hold ${id} ${held}`),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { port, calls, log };
}

function setup(startInbound?: () => Promise<never>) {
  const live = fakeLiveCalls();
  const started: { transport: string; from: string; inboxId: string }[] = [];
  let n = 0;
  const calls = createBrowserCalls({
    liveCalls: live.port,
    ice: { iceServers: [], additionalHostAddresses: [], portRange: null },
    newId: () => `id-${++n}`,
    now: () => new Date('2026-11-26T06:00:00Z'),
    calls: {
      startInbound:
        startInbound ??
        (async ({ inboxId, leg, start }) => {
          legs.push(leg);
          started.push({ transport: start.transport, from: start.from.uri, inboxId });
          return { callId: 'call-1', conversationId: 'conv-1', done: new Promise(() => {}) };
        }),
    },
  });
  return { calls, live, started };
}

describe('browser calls', () => {
  it("starts a visitor's call with a WebRTC leg and answers the offer", async () => {
    const { calls, started } = setup();
    const call = await calls.startVisitorCall(
      { workspaceId: 'w1', inboxId: 'in-1', visitorId: 'v-1' },
      await browserOffer(),
    );
    expect(call).toMatchObject({ callId: 'call-1', conversationId: 'conv-1' });
    expect(call.answerSdp).toMatch(/a=rtpmap:8 PCMA\/8000/);
    expect(started).toEqual([{ transport: 'webrtc', from: 'v-1', inboxId: 'in-1' }]);
  });

  it('closes the leg when the call cannot start, and says why in the error code', async () => {
    const { calls } = setup(async () => {
      throw new Error('database down');
    });
    await expect(
      calls.startVisitorCall({ workspaceId: 'w1', inboxId: 'in-1', visitorId: 'v-1' }, await browserOffer()),
    ).rejects.toMatchObject({ code: 'internal' });
    await expect(
      calls.startVisitorCall({ workspaceId: 'w1', inboxId: 'in-1', visitorId: 'v-1' }, 'v=0\r\nbogus'),
    ).rejects.toMatchObject({ code: 'bad_offer' });
  });

  it('lets an agent answer a waiting call, and only that agent control it', async () => {
    const { calls, live } = setup();
    live.calls.set('c1', { workspaceId: 'w1', conversationId: 'conv', state: 'queued', agentId: null });
    await expect(calls.answerAsAgent('w2', 'a1', 'c1', await browserOffer())).rejects.toMatchObject({
      code: 'not_found',
    });
    const { answerSdp } = await calls.answerAsAgent('w1', 'a1', 'c1', await browserOffer());
    expect(answerSdp).toMatch(/^v=0/);
    await expect(calls.answerAsAgent('w1', 'a2', 'c1', await browserOffer())).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(() => calls.mute('w1', 'a2', 'c1', true)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    calls.mute('w1', 'a1', 'c1', true);
    calls.hold('w1', 'a1', 'c1', true);
    await calls.transfer('w1', 'a1', 'c1', { kind: 'agent', userId: 'a3' });
    expect(calls.takeTransferTarget('c1')).toBe('a3');
    expect(calls.takeTransferTarget('c1')).toBeNull();
    await calls.transfer('w1', 'a1', 'c1', { kind: 'bot' });
    calls.hangup('w1', 'a1', 'c1');
    expect(live.log).toEqual([
      'connect c1 a1 PCMA',
      'mute c1 true',
      'hold c1 true',
      'transfer c1 a3',
      'bot c1',
      'hangup c1',
    ]);
  });
});

function fakeSocket() {
  const frames: ConsoleServerFrame[] = [];
  const socket = { OPEN: 1, readyState: 1, send: (data: string) => frames.push(JSON.parse(data)) };
  return { socket: socket as unknown as WebSocket, frames };
}

describe('softphone socket', () => {
  it('answers malformed frames, missing rights and a server without calls with call.error', async () => {
    const { calls, live } = setup();
    live.calls.set('c1', { workspaceId: 'w1', conversationId: 'conv', state: 'queued', agentId: null });
    const agent = { workspaceId: 'w1', userId: 'a1', permissions: rolePermissions.agent };
    const { socket, frames } = fakeSocket();
    const session = softphoneSession(calls, socket, agent);
    await session.handle({ type: 'call.answer', callId: 'c1' });
    await session.handle({ type: 'call.mute', callId: 'c9', muted: true });
    const offline = fakeSocket();
    await softphoneSession(null, offline.socket, agent).handle({ type: 'call.hangup', callId: 'c1' });
    const viewer = fakeSocket();
    await softphoneSession(calls, viewer.socket, { ...agent, permissions: new Set() }).handle({
      type: 'call.hangup',
      callId: 'c1',
    });
    expect(frames.map((f) => f.type === 'call.error' && f.code)).toEqual(['bad_offer', 'not_found']);
    expect(offline.frames).toMatchObject([{ type: 'call.error', code: 'unavailable' }]);
    expect(viewer.frames).toMatchObject([{ type: 'call.error', code: 'forbidden' }]);
  });

  it('answers a call and hangs its leg up when the console goes away', async () => {
    const { calls, live } = setup();
    live.calls.set('c1', { workspaceId: 'w1', conversationId: 'conv', state: 'queued', agentId: null });
    const { socket, frames } = fakeSocket();
    const session = softphoneSession(calls, socket, {
      workspaceId: 'w1',
      userId: 'a1',
      permissions: rolePermissions.agent,
    });
    await session.handle({ type: 'call.answer', callId: 'c1', sdp: await browserOffer() });
    expect(frames).toMatchObject([{ type: 'call.answer', callId: 'c1' }]);
    await session.handle({ type: 'call.answer', callId: 'c1', sdp: await browserOffer() });
    expect(frames[1]).toMatchObject({ type: 'call.error', code: 'conflict' });
    session.close();
    await legs[0]?.closed;
  });
});
