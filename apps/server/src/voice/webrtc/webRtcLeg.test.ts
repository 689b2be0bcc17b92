// The browser leg against a werift peer in the same process playing the browser: real ICE, DTLS-SRTP
// and RTP over loopback UDP; audio both ways, DTMF both ways, mute, closing, and offers we must refuse.
import {
  decodeMuLaw,
  encodeMuLaw,
  encodeTelephoneEvent,
  FRAME_SAMPLES,
  parseTelephoneEvent,
} from '@zhike/voice';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type RTCRtpTransceiver,
  RtpHeader,
  RtpPacket,
} from 'werift';
import { type AnsweredLeg, answerBrowserOffer, OfferRejected, waitForGathering } from './answerOffer.ts';
import type { WebRtcLegTimers } from './webRtcLeg.ts';

/** The "browser": offers Opus first like Chromium, then G.711 and telephone-event on its own numbers. */
function browserPeer(options: { g711?: boolean } = {}) {
  const audio = [
    new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 }),
  ];
  if (options.g711 !== false)
    audio.push(
      new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
      new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
      new RTCRtpCodecParameters({
        mimeType: 'audio/telephone-event',
        clockRate: 8000,
        channels: 1,
        payloadType: 126,
        parameters: '0-15',
      }),
    );
  const pc = new RTCPeerConnection({ codecs: { audio, video: [] }, iceUseIpv6: false });
  const transceiver = pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendrecv' });
  // What the server sends, as the browser receives it (subscribed before negotiation starts).
  const incoming: RtpPacket[] = [];
  pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((p) => incoming.push(p)));
  return { pc, transceiver, incoming };
}

const peers: RTCPeerConnection[] = [];
const legs: AnsweredLeg['leg'][] = [];
afterEach(async () => {
  for (const leg of legs.splice(0)) leg.close();
  for (const pc of peers.splice(0)) await pc.close().catch(() => {});
});

async function connect(timers?: WebRtcLegTimers): Promise<{
  leg: AnsweredLeg['leg'];
  pc: RTCPeerConnection;
  transceiver: RTCRtpTransceiver;
  incoming: RtpPacket[];
}> {
  const { pc, transceiver, incoming } = browserPeer();
  peers.push(pc);
  await pc.setLocalDescription(await pc.createOffer());
  await waitForGathering(pc);
  const { leg, answerSdp } = await answerBrowserOffer(pc.localDescription?.sdp, timers ? { timers } : {});
  legs.push(leg);
  expect(answerSdp).not.toMatch(/opus/i);
  await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  await new Promise<void>((resolve) => {
    if (pc.connectionState === 'connected') resolve();
    pc.connectionStateChange.subscribe((s) => s === 'connected' && resolve());
  });
  // The server side is connected once its clock sends.
  await expect.poll(() => leg.stats().packetsSent, { timeout: 5000 }).toBeGreaterThan(0);
  return { leg, pc, transceiver, incoming };
}

function tone(samples: number, hz: number, amplitude = 8000): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000)),
  );
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

describe('WebRtcLeg', () => {
  it('negotiates G.711 only and carries audio from the browser as 20 ms frames', async () => {
    const { leg, transceiver } = await connect();
    expect(leg.codec).toBe('PCMU');
    const frames: Int16Array[] = [];
    leg.onAudio((frame) => frames.push(frame));
    const source = tone(FRAME_SAMPLES * 25, 440);
    let seq = 100;
    for (let i = 0; i < 25; i++) {
      const header = new RtpHeader({ sequenceNumber: seq++, timestamp: i * FRAME_SAMPLES, payloadType: 0 });
      const chunk = source.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES);
      await transceiver.sender.sendRtp(new RtpPacket(header, Buffer.from(encodeMuLaw(chunk))));
      if (i === 10) seq++; // one packet lost on the way: filled with a silent frame
    }
    await expect.poll(() => frames.length, { timeout: 5000 }).toBe(26);
    expect(frames.every((f) => f.length === FRAME_SAMPLES)).toBe(true);
    const expected = decodeMuLaw(encodeMuLaw(source));
    expect([...(frames[0] ?? [])]).toEqual([...expected.subarray(0, FRAME_SAMPLES)]);
    expect(rms(frames[11] ?? new Int16Array(1))).toBe(0);
    expect(leg.stats().packetsReceived).toBe(25);
  });

  it('sends played audio on its clock, silence around it, and mutes', async () => {
    const { leg, incoming } = await connect();
    const audio = () => incoming.filter((p) => p.header.payloadType === 0).map((p) => decodeMuLaw(p.payload));
    const sent: Int16Array[] = [];
    leg.onSent((f) => sent.push(f));
    const clip = tone(FRAME_SAMPLES * 10, 1000);
    const started = performance.now();
    const playback = leg.play(clip);
    expect(await playback.done).toBe('finished');
    await expect.poll(() => audio().filter((f) => rms(f) > 2000).length, { timeout: 5000 }).toBe(10);
    // What arrived is the clip, frame for frame, after the G.711 round trip.
    const loud = audio().filter((f) => rms(f) > 2000);
    expect([...(loud[3] ?? [])]).toEqual([...decodeMuLaw(encodeMuLaw(clip.subarray(480, 640)))]);
    // The clock runs without audio queued: silence keeps flowing.
    const before = audio().length;
    await expect.poll(() => audio().length, { timeout: 5000 }).toBeGreaterThan(before + 5);
    expect(sent.filter((f) => rms(f) > 2000)).toHaveLength(10);
    leg.setMuted(true);
    leg.play(tone(FRAME_SAMPLES * 5, 1000));
    const muted = audio().length;
    await expect.poll(() => audio().length, { timeout: 5000 }).toBeGreaterThan(muted + 8);
    expect(
      audio()
        .slice(muted)
        .every((f) => rms(f) === 0),
    ).toBe(true);
    // Never faster than real time (a loaded machine may skip slots, never add them), and RTP time
    // moves in whole 20 ms slots with the sequence: slots skipped after a stall advance it further.
    const elapsed = performance.now() - started;
    expect(leg.stats().packetsSent).toBeLessThanOrEqual(Math.ceil(elapsed / 20) + 3);
    expect(leg.stats().packetsSent).toBeGreaterThan(elapsed / 20 / 2);
    const packets = incoming.filter((p) => p.header.payloadType === 0);
    for (let i = 1; i < packets.length; i++) {
      const [a, b] = [packets[i - 1]?.header, packets[i]?.header];
      if (!a || !b) continue;
      const slots = ((b.timestamp - a.timestamp) >>> 0) / FRAME_SAMPLES;
      expect(Number.isInteger(slots) && slots >= ((b.sequenceNumber - a.sequenceNumber) & 0xffff)).toBe(true);
    }
  });

  it('stopping a playback drops the queue at once (barge-in)', async () => {
    const { leg } = await connect();
    const first = leg.play(tone(FRAME_SAMPLES * 200, 500));
    const second = leg.play(tone(FRAME_SAMPLES * 200, 700));
    await new Promise((r) => setTimeout(r, 60));
    first.stop();
    expect(await first.done).toBe('stopped');
    expect(await second.done).toBe('stopped');
  });

  it('reports each DTMF press once, however often its end packet repeats', async () => {
    const { leg, transceiver } = await connect();
    const digits: string[] = [];
    leg.onDtmf((d) => digits.push(d));
    const dtls = transceiver.sender.dtlsTransport;
    let seq = 5000;
    for (const [event, ts] of [
      [5, 16000],
      [11, 32000],
    ] as const) {
      for (let d = 1; d <= 8; d++) {
        const end = d > 5;
        const header = new RtpHeader({
          sequenceNumber: seq++,
          timestamp: ts,
          payloadType: 126,
          marker: d === 1,
          ssrc: transceiver.sender.ssrc,
        });
        await dtls.sendRtp(
          Buffer.from(encodeTelephoneEvent({ event, end, volume: 10, duration: Math.min(d, 5) * 160 })),
          header,
        );
      }
    }
    await expect.poll(() => digits.join(''), { timeout: 5000 }).toBe('5#');
    await new Promise((r) => setTimeout(r, 100));
    expect(digits).toEqual(['5', '#']);
  });

  it('sends DTMF as RFC 4733 events the browser can read', async () => {
    const { leg, incoming } = await connect();
    const ends = () => {
      const byTimestamp = new Map<number, number>();
      for (const p of incoming) {
        if (p.header.payloadType !== 126) continue;
        const e = parseTelephoneEvent(p.payload);
        if (e?.end) byTimestamp.set(p.header.timestamp, e.event);
      }
      return [...byTimestamp.values()];
    };
    await leg.sendDtmf('1*');
    await expect.poll(ends, { timeout: 5000 }).toEqual([1, 10]);
    await expect(leg.sendDtmf('1x')).rejects.toThrow(/Not DTMF/);
  });

  it('closes when the browser goes away', async () => {
    const { leg, pc } = await connect({
      mediaTimeoutMs: 1000,
      disconnectGraceMs: 500,
      connectTimeoutMs: 10_000,
    });
    await pc.close();
    await leg.closed;
    expect(['peer', 'ice-failed', 'media-timeout']).toContain(leg.closeReason);
    expect(await leg.play(tone(160, 440)).done).toBe('stopped');
  });

  it('closes on media silence', async () => {
    const { pc } = browserPeer();
    peers.push(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await waitForGathering(pc);
    const { leg, answerSdp } = await answerBrowserOffer(pc.localDescription?.sdp, {
      timers: { mediaTimeoutMs: 300, disconnectGraceMs: 5000, connectTimeoutMs: 10_000 },
    });
    legs.push(leg);
    await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    await leg.closed;
    expect(leg.closeReason).toBe('media-timeout');
  });

  it('refuses offers it cannot answer, with a reason', async () => {
    await expect(answerBrowserOffer(undefined)).rejects.toThrow(OfferRejected);
    await expect(answerBrowserOffer('hello')).rejects.toThrow(/not SDP/);
    await expect(answerBrowserOffer(`v=0\r\n${'a=x\r\n'.repeat(10_000)}`)).rejects.toThrow(/longer/);
    const { pc } = browserPeer({ g711: false });
    peers.push(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await expect(answerBrowserOffer(pc.localDescription?.sdp)).rejects.toThrow(/G\.711/);
    // Looks like SDP and names PCMU, but is broken inside.
    await expect(
      answerBrowserOffer('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n'),
    ).rejects.toThrow(OfferRejected);
  });
});
