// Browser calls through the real sockets of a listening server, with werift peers playing the visitor's
// and the agent's browsers: malformed call frames are answered and the sockets live on; a call from the
// widget reaches the bot, keypad 0 (RFC 4733) hands it to people, the console rings, an agent answers
// and hears the caller, and the agent's hang-up ends the visitor's call.
import type { ConsoleServerFrame, WidgetServerFrame, WidgetSession } from '@zhike/contracts';
import { decodeMuLaw, encodeMuLaw, encodeTelephoneEvent, FRAME_SAMPLES } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type RTCRtpTransceiver,
  RtpHeader,
  RtpPacket,
} from 'werift';
import WebSocket from 'ws';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';
import type { RunVoiceBot } from './voice/voiceCalls.ts';
import { waitForGathering } from './voice/webrtc/answerOffer.ts';

type Frame = WidgetServerFrame | ConsoleServerFrame;

class Client {
  frames: Frame[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => this.frames.push(JSON.parse(String(raw)) as Frame));
  }
  static open(url: string, headers: Record<string, string> = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new Client(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }
  send(frame: unknown) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
  next<T extends Frame['type']>(type: T, where: (f: Extract<Frame, { type: T }>) => boolean = () => true) {
    return eventually(
      () => this.frames.find((f): f is Extract<Frame, { type: T }> => f.type === type && where(f as never)),
      15_000,
    );
  }
  count(type: Frame['type']) {
    return this.frames.filter((f) => f.type === type).length;
  }
}

/** A "browser": PCMU + telephone-event on Chromium's numbers, what it hears kept as decoded frames. */
async function browser() {
  const pc = new RTCPeerConnection({
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 8000,
          channels: 1,
          payloadType: 126,
        }),
      ],
      video: [],
    },
    iceUseIpv6: false,
  });
  const transceiver: RTCRtpTransceiver = pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), {
    direction: 'sendrecv',
  });
  const heard: Int16Array[] = [];
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((p) => {
      if (p.header.payloadType === 0) heard.push(decodeMuLaw(p.payload));
    }),
  );
  await pc.setLocalDescription(await pc.createOffer());
  await waitForGathering(pc);
  let seq = 1;
  let ts = 0;
  return {
    pc,
    offer: pc.localDescription?.sdp ?? '',
    heard,
    loudFrames: () => heard.filter((f) => f.some((s) => Math.abs(s) > 1000)).length,
    async answer(sdp: string) {
      await pc.setRemoteDescription({ type: 'answer', sdp });
      await eventually(() => pc.connectionState === 'connected', 10_000);
    },
    /** Talks: `frames` × 20 ms of a 440 Hz tone. */
    async talk(frames: number) {
      for (let i = 0; i < frames; i++) {
        const pcm = Int16Array.from({ length: FRAME_SAMPLES }, (_, n) =>
          Math.round(6000 * Math.sin((2 * Math.PI * 440 * (i * FRAME_SAMPLES + n)) / 8000)),
        );
        ts += FRAME_SAMPLES;
        const header = new RtpHeader({ sequenceNumber: seq++, timestamp: ts, payloadType: 0 });
        await transceiver.sender.sendRtp(new RtpPacket(header, Buffer.from(encodeMuLaw(pcm))));
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Presses one key (RFC 4733: event packets, then the end packet three times). */
    async press(event: number) {
      ts += FRAME_SAMPLES;
      const at = ts;
      for (let d = 1; d <= 6; d++) {
        const header = new RtpHeader({
          sequenceNumber: seq++,
          timestamp: at,
          payloadType: 126,
          marker: d === 1,
          ssrc: transceiver.sender.ssrc,
        });
        const end = d > 3;
        await transceiver.sender.dtlsTransport.sendRtp(
          Buffer.from(
            encodeTelephoneEvent({ event, end, volume: 10, duration: Math.min(d, 3) * FRAME_SAMPLES }),
          ),
          header,
        );
      }
    },
  };
}

/** The pipeline's bot loop reduced to this test's need: a greeting tone, then keypad 0 → hand-off. */
const keypadBot: RunVoiceBot = async ({ leg }) => {
  leg.play(
    Int16Array.from({ length: 8000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 600 * i) / 8000))),
  );
  return new Promise((resolve) => {
    const off = leg.onDtmf((digit) => {
      if (digit !== '0') return;
      off();
      resolve({ kind: 'handoff', turns: 1 });
    });
    void leg.closed.then(() => resolve({ kind: 'caller-hangup', turns: 0 }));
  });
};

describe('browser calls over the widget and console sockets', () => {
  let t: TestApp;
  let owner: TestSession;
  let base: { http: string; ws: string };
  let widgetToken: string;
  const peers: RTCPeerConnection[] = [];

  beforeAll(async () => {
    t = await createTestApp('sqlite', {
      voice: {
        runVoiceBot: keypadBot,
        speechFor: async () => ({
          recognizer: { id: 'none', transcribe: async () => ({ text: '' }) },
          synthesizer: {
            id: 'tone',
            synthesize: async () => ({ samples: new Int16Array(800), sampleRate: 8000 }),
          },
        }),
        holdRepeatMs: 60_000,
      },
    });
    owner = await t.login();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    base = { http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
    const inboxes = await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).inboxes.list();
    widgetToken = inboxes.find((i) => i.channel === 'widget')?.widgetToken ?? '';
  }, 60_000);
  afterAll(async () => {
    for (const pc of peers) await pc.close().catch(() => {});
    await t?.close();
  });

  const visitorSocket = async () => {
    const res = await fetch(`${base.http}/api/v1/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base.http },
      body: JSON.stringify({ inbox: widgetToken }),
    });
    const session = (await res.json()) as WidgetSession;
    const url = `${base.ws}/api/v1/widget/ws?inbox=${widgetToken}&visitorToken=${encodeURIComponent(session.visitorToken)}`;
    const visitor = await Client.open(url, { origin: base.http });
    await visitor.next('ready');
    return visitor;
  };
  const widgetConfig = async () =>
    (
      (await (await fetch(`${base.http}/api/v1/widget/config?inbox=${widgetToken}`)).json()) as {
        voiceCalls: boolean;
      }
    ).voiceCalls;

  it('refuses calls until the workspace has a voice inbox, and answers malformed frames without dying', async () => {
    expect(await widgetConfig()).toBe(false);
    const visitor = await visitorSocket();
    visitor.send({ type: 'call.start', sdp: 'v=0\r\n' });
    await visitor.next('call.error', (f) => f.code === 'unavailable');

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: '客服热线',
        adapter: 'sip-voice',
        config: { mode: 'trunk', allowedSources: '127.0.0.1' },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(await widgetConfig()).toBe(true);

    for (const bad of [
      { type: 'call.start' },
      { type: 'call.start', sdp: 42 },
      { type: 'call.start', sdp: 'x'.repeat(30_000) },
      { type: 'call.start', sdp: 'v=0\r\nm=audio 9 RTP/AVP 0\r\n' },
      { type: 'call.bogus' },
    ])
      visitor.send(bad);
    await eventually(() => visitor.count('call.error') >= 6, 10_000);
    visitor.send('{"type":"call.start","sdp":');
    visitor.send({ type: 'ping' });
    await visitor.next('pong');

    const agentConsole = await Client.open(`${base.ws}/api/v1/console/ws`, {
      cookie: owner.cookie,
      origin: base.http,
    });
    await agentConsole.next('ready');
    agentConsole.send({ type: 'call.answer', callId: 'nope' });
    agentConsole.send({ type: 'call.hangup', callId: 'nope' });
    agentConsole.send({ type: 'call.transfer', callId: 'nope', to: { kind: 'nobody' } });
    // A call-back without an offer is malformed; with one, this server places no phone calls.
    agentConsole.send({ type: 'call.dial', target: { conversationId: 'c' } });
    agentConsole.send({ type: 'call.dial', target: { conversationId: 'c' }, sdp: 'v=0' });
    await eventually(() => agentConsole.count('call.error') === 5, 10_000);
    expect(agentConsole.frames.filter((f) => f.type === 'call.error').map((f) => f.code)).toEqual([
      'bad_offer',
      'not_found',
      'bad_offer',
      'bad_offer',
      'unavailable',
    ]);
    agentConsole.send({ type: 'ping' });
    await agentConsole.next('pong');
    visitor.ws.close();
    agentConsole.ws.close();
  });

  it('carries a widget call to the bot, hands it off on keypad 0 and bridges the agent who answers', async () => {
    const agentConsole = await Client.open(`${base.ws}/api/v1/console/ws`, {
      cookie: owner.cookie,
      origin: base.http,
    });
    await agentConsole.next('ready');
    const visitor = await visitorSocket();
    const caller = await browser();
    peers.push(caller.pc);
    visitor.send({ type: 'call.start', sdp: caller.offer });
    const answered = await visitor.next('call.answer');
    await caller.answer(answered.sdp);
    // The bot's greeting tone reaches the visitor.
    await eventually(() => caller.loudFrames() >= 20, 10_000);

    await caller.press(0);
    await visitor.next('call.state', (f) => f.state === 'queued');
    const offered = await agentConsole.next('call.offered', (f) => f.call.callId === answered.callId);
    expect(offered.call.transport).toBe('webrtc');

    const agent = await browser();
    peers.push(agent.pc);
    agentConsole.send({ type: 'call.answer', callId: answered.callId, sdp: agent.offer });
    const agentAnswer = await agentConsole.next('call.answer', (f) => f.callId === answered.callId);
    await agent.answer(agentAnswer.sdp);
    await visitor.next('call.state', (f) => f.state === 'agent');
    await agentConsole.next('call.state', (f) => f.callId === answered.callId && f.state === 'agent');

    // The caller talks; the agent hears it through the bridge.
    await caller.talk(40);
    await eventually(() => agent.loudFrames() >= 20, 10_000);

    agentConsole.send({ type: 'call.mute', callId: answered.callId, muted: true });
    agentConsole.send({ type: 'call.hangup', callId: answered.callId });
    const ended = await visitor.next('call.ended', (f) => f.callId === answered.callId);
    expect(ended.reason).toBeTruthy();
    expect(agentConsole.frames.filter((f) => f.type === 'call.error')).toEqual([]);
    visitor.ws.close();
    agentConsole.ws.close();
  }, 60_000);
});
