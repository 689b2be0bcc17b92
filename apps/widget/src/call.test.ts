import { describe, expect, it } from 'vitest';
import { type CallPhase, WidgetCall } from './call.ts';

function fakePeer() {
  const peer = {
    iceGatheringState: 'complete',
    connectionState: 'new',
    localDescription: null as { sdp: string } | null,
    remote: null as { type: string; sdp: string } | null,
    tracks: 0,
    closed: false,
    ontrack: null as unknown,
    onconnectionstatechange: null as unknown,
    onicegatheringstatechange: null as unknown,
    addTrack() {
      peer.tracks++;
    },
    async createOffer() {
      return { type: 'offer', sdp: 'v=0 offer' };
    },
    async setLocalDescription(d: { sdp: string }) {
      peer.localDescription = d;
    },
    async setRemoteDescription(d: { type: string; sdp: string }) {
      peer.remote = d;
    },
    close() {
      peer.closed = true;
    },
  };
  return peer;
}

function setup(options: { mic?: 'denied'; connected?: boolean } = {}) {
  const peer = fakePeer();
  const sent: unknown[] = [];
  const stopped: string[] = [];
  const track = { stop: () => stopped.push('mic') };
  const call = new WidgetCall({
    getMicrophone: async () => {
      if (options.mic === 'denied') throw new Error('NotAllowedError');
      return { getAudioTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
    },
    createPeer: () => peer as unknown as RTCPeerConnection,
    send: (frame) => {
      sent.push(frame);
      return options.connected !== false;
    },
    play: () => {},
  });
  const phases: CallPhase[] = [];
  call.onPhase((p) => phases.push(p));
  return { call, peer, sent, stopped, phases };
}

describe('widget call', () => {
  it('offers the microphone, applies the answer and follows the call to an agent', async () => {
    const { call, peer, sent, phases, stopped } = setup();
    await call.start();
    expect(peer.tracks).toBe(1);
    expect(sent).toEqual([{ type: 'call.start', sdp: 'v=0 offer' }]);
    call.receive({ type: 'call.answer', callId: 'c1', sdp: 'v=0 answer' });
    await expect.poll(() => phases.at(-1)).toBe('bot');
    expect(peer.remote).toEqual({ type: 'answer', sdp: 'v=0 answer' });
    call.receive({ type: 'call.state', callId: 'other', state: 'agent' });
    call.receive({ type: 'call.state', callId: 'c1', state: 'queued' });
    call.receive({ type: 'call.state', callId: 'c1', state: 'agent' });
    call.receive({ type: 'call.ended', callId: 'c1', reason: 'peer' });
    expect(phases).toEqual(['connecting', 'bot', 'waiting', 'agent', 'ended']);
    expect(peer.closed).toBe(true);
    expect(stopped).toEqual(['mic']);
  });

  it('hangs up on request and reports a refused microphone or a server error', async () => {
    const a = setup();
    await a.call.start();
    a.call.hangUp();
    expect(a.sent.at(-1)).toEqual({ type: 'call.hangup' });
    expect(a.phases.at(-1)).toBe('ended');

    const b = setup({ mic: 'denied' });
    await b.call.start();
    expect(b.phases).toEqual(['connecting', 'no-mic']);
    expect(b.sent).toEqual([]);

    const c = setup();
    await c.call.start();
    c.call.receive({ type: 'call.error', code: 'unavailable', detail: 'no calls' });
    expect(c.phases.at(-1)).toBe('failed');
    expect(c.peer.closed).toBe(true);

    const d = setup({ connected: false });
    await d.call.start();
    expect(d.phases.at(-1)).toBe('failed');
  });
});
