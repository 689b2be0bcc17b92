// A browser's audio as a MediaLeg: a werift RTCPeerConnection negotiated G.711 only (PCMU/PCMA and
// telephone-event, matched by name), inbound RTP decoded to 20 ms frames, outbound frames sent on the
// leg's own drift-free 20 ms clock, DTMF both ways, closed on hang-up, ICE failure or media silence.
import {
  type AudioCodec,
  type AudioFrame,
  type DtmfDigit,
  DtmfReceiver,
  DtmfSender,
  dtmfEventCode,
  FRAME_MS,
  FRAME_SAMPLES,
  type G711Codec,
  g711Codec,
  type MediaLeg,
  type MediaLegStats,
  type Playback,
  PlaybackQueue,
  type Unsubscribe,
} from '@zhike/voice';
import type * as Werift from 'werift';
import type { MediaStreamTrack, RTCPeerConnection, RTCRtpTransceiver, RtpPacket } from 'werift';
import { werift } from './werift.ts';

export interface WebRtcLegTimers {
  /** No inbound RTP for this long on a connected leg closes it (the browser tab died silently). */
  mediaTimeoutMs: number;
  /** ICE 'disconnected' for this long closes the leg (a short network blip recovers on its own). */
  disconnectGraceMs: number;
  /** The browser must complete ICE + DTLS within this long after the answer. */
  connectTimeoutMs: number;
}

export const DEFAULT_LEG_TIMERS: WebRtcLegTimers = {
  mediaTimeoutMs: 20_000,
  disconnectGraceMs: 5_000,
  connectTimeoutMs: 15_000,
};

export type WebRtcLegCloseReason = 'local' | 'peer' | 'ice-failed' | 'media-timeout' | 'connect-timeout';

/** After a stall (event loop blocked), send at most this many overdue frames at once, then skip ahead. */
const MAX_CATCH_UP_FRAMES = 5;
/** A forward jump in sequence numbers larger than this is a restarted stream, not loss to fill. */
const MAX_GAP_FILL_PACKETS = 50;

function signedSeqDelta(seq: number, expected: number): number {
  const diff = (seq - expected) & 0xffff;
  return diff >= 0x8000 ? diff - 0x10000 : diff;
}

export class WebRtcLeg implements MediaLeg {
  readonly codec: AudioCodec;
  readonly closed: Promise<void>;
  private readonly g711: G711Codec;
  closeReason: WebRtcLegCloseReason | null = null;

  private readonly audioListeners = new Set<(frame: AudioFrame) => void>();
  private readonly dtmfListeners = new Set<(digit: DtmfDigit) => void>();
  private readonly sentListeners = new Set<(frame: AudioFrame) => void>();
  private readonly queue = new PlaybackQueue();
  private readonly dtmfIn = new DtmfReceiver((digit) => {
    for (const listener of this.dtmfListeners) listener(digit);
  });
  private readonly dtmfOut = new DtmfSender();
  /** Slots since the clock started (skipped ones included): RTP time is `timestampBase + slot × 160`. */
  private slot = 0;
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private readonly counters: MediaLegStats = {
    packetsSent: 0,
    packetsReceived: 0,
    lateSent: 0,
    droppedReceived: 0,
  };
  private readonly silence = new Int16Array(FRAME_SAMPLES);
  private readonly timeouts = new Set<ReturnType<typeof setTimeout>>();
  private resolveClosed: () => void = () => {};
  private muted = false;
  private isClosed = false;
  private sendTimer: ReturnType<typeof setTimeout> | null = null;
  private nextSendAt = 0;
  private seq = Math.floor(Math.random() * 0x10000);
  private readonly timestampBase = Math.floor(Math.random() * 0x100000000) >>> 0;
  private lastReceivedAt = 0;
  private expectedSeq: number | null = null;
  private remoteSsrc: number | null = null;
  private pending = new Int16Array(0);
  private packetSamples = FRAME_SAMPLES;
  private disconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;

  /** werift's packet classes (loaded before any leg exists). */
  private readonly RtpHeader: typeof Werift.RtpHeader;
  private readonly RtpPacket: typeof Werift.RtpPacket;

  constructor(
    readonly id: string,
    private readonly pc: RTCPeerConnection,
    private readonly transceiver: RTCRtpTransceiver,
    private readonly timers: WebRtcLegTimers = DEFAULT_LEG_TIMERS,
  ) {
    const codec = transceiver.sender.codec?.name.toUpperCase();
    if (codec !== 'PCMU' && codec !== 'PCMA')
      throw new Error(`WebRtcLeg needs G.711, negotiated ${codec ?? 'nothing'}`);
    this.codec = codec;
    this.g711 = g711Codec(codec);
    ({ RtpHeader: this.RtpHeader, RtpPacket: this.RtpPacket } = werift());
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    pc.onTrack.subscribe((track) => this.attachTrack(track));
    if (transceiver.receiver.track) this.attachTrack(transceiver.receiver.track);
    pc.connectionStateChange.subscribe((state) => this.onConnectionState(state));
    this.connectTimer = this.after(timers.connectTimeoutMs, () => this.shutdown('connect-timeout'));
    if (pc.connectionState === 'connected') this.startClock();
  }

  onAudio(listener: (frame: AudioFrame) => void): Unsubscribe {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  onDtmf(listener: (digit: DtmfDigit) => void): Unsubscribe {
    this.dtmfListeners.add(listener);
    return () => this.dtmfListeners.delete(listener);
  }

  onSent(listener: (frame: AudioFrame) => void): Unsubscribe {
    this.sentListeners.add(listener);
    return () => this.sentListeners.delete(listener);
  }

  play(samples: Int16Array): Playback {
    if (this.isClosed) return { stop: () => {}, done: Promise.resolve('stopped') };
    return this.queue.enqueue(samples);
  }

  stopPlayback(): void {
    this.queue.clear();
  }

  sendDtmf(digits: string): Promise<void> {
    try {
      for (const digit of digits) dtmfEventCode(digit);
    } catch {
      return Promise.reject(new Error(`Not DTMF digits: "${digits}"`));
    }
    if (this.isClosed) return Promise.resolve();
    return this.dtmfOut.enqueue(digits);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  close(): void {
    this.shutdown('local');
  }

  stats(): MediaLegStats {
    return { ...this.counters };
  }

  // ── inbound ───────────────────────────────────────────────────────────────────────────────────────

  private attachTrack(track: MediaStreamTrack): void {
    track.onReceiveRtp.subscribe((packet) => {
      try {
        this.receive(packet);
      } catch {
        // A packet we cannot read is dropped; it must never take the process or the call down.
        this.counters.droppedReceived++;
      }
    });
  }

  private receive(packet: RtpPacket): void {
    if (this.isClosed) return;
    const { header, payload } = packet;
    this.lastReceivedAt = performance.now();
    if (this.remoteSsrc !== header.ssrc) {
      // A new source (renegotiation, track replaced): sequence numbers start over.
      this.remoteSsrc = header.ssrc;
      this.expectedSeq = null;
    }
    if (this.expectedSeq !== null) {
      const delta = signedSeqDelta(header.sequenceNumber, this.expectedSeq);
      if (delta < 0) {
        this.counters.droppedReceived++;
        return;
      }
      if (delta > 0 && delta <= MAX_GAP_FILL_PACKETS) this.push(new Int16Array(delta * this.packetSamples));
    }
    this.expectedSeq = (header.sequenceNumber + 1) & 0xffff;
    this.counters.packetsReceived++;
    const name = this.codecNameOf(header.payloadType);
    if (name === 'TELEPHONE-EVENT') {
      this.dtmfIn.receive(payload, header.timestamp, performance.now());
      return;
    }
    if (name !== 'PCMU' && name !== 'PCMA') {
      this.counters.droppedReceived++;
      return;
    }
    if (payload.length > 0) this.packetSamples = payload.length;
    this.push(g711Codec(name).decode(payload));
  }

  private codecNameOf(payloadType: number): string | undefined {
    return this.transceiver.codecs.find((c) => c.payloadType === payloadType)?.name.toUpperCase();
  }

  /** Re-cuts decoded audio into exact 20 ms frames whatever the browser's packet time. */
  private push(samples: Int16Array): void {
    let buffer = samples;
    if (this.pending.length > 0) {
      buffer = new Int16Array(this.pending.length + samples.length);
      buffer.set(this.pending);
      buffer.set(samples, this.pending.length);
    }
    let offset = 0;
    while (buffer.length - offset >= FRAME_SAMPLES) {
      const frame = buffer.slice(offset, offset + FRAME_SAMPLES);
      offset += FRAME_SAMPLES;
      for (const listener of this.audioListeners) listener(frame);
    }
    this.pending = buffer.slice(offset);
  }

  // ── outbound ──────────────────────────────────────────────────────────────────────────────────────

  private startClock(): void {
    if (this.sendTimer || this.isClosed) return;
    this.cancel(this.connectTimer);
    this.connectTimer = null;
    this.nextSendAt = performance.now();
    this.lastReceivedAt = this.nextSendAt;
    this.tick();
  }

  private tick(): void {
    this.sendTimer = null;
    if (this.isClosed) return;
    const now = performance.now();
    if (now - this.lastReceivedAt > this.timers.mediaTimeoutMs) {
      this.shutdown('media-timeout');
      return;
    }
    let sent = 0;
    while (this.nextSendAt <= now + 1 && sent < MAX_CATCH_UP_FRAMES) {
      if (now - this.nextSendAt > FRAME_MS) this.counters.lateSent++;
      this.sendFrame();
      this.nextSendAt += FRAME_MS;
      sent++;
    }
    if (this.nextSendAt <= now) {
      // Too far behind to catch up: skip the missed slots, keeping RTP time in step with the wall clock.
      const skipped = Math.floor((now - this.nextSendAt) / FRAME_MS) + 1;
      this.nextSendAt += skipped * FRAME_MS;
      this.slot += skipped;
    }
    // Scheduling against absolute slot times (not "20 ms from now") keeps the clock from drifting.
    this.sendTimer = setTimeout(() => this.tick(), Math.max(0, this.nextSendAt - performance.now()));
  }

  private timestampOf(slot: number): number {
    return (this.timestampBase + slot * FRAME_SAMPLES) >>> 0;
  }

  private sendFrame(): void {
    const slot = this.slot++;
    this.dtmfIn.expire(performance.now());
    const dtmf = this.dtmfOut.next(slot);
    if (dtmf) {
      this.sendTelephoneEvent(dtmf.payload, dtmf.marker, this.timestampOf(dtmf.startSlot));
      // The recorder hears the key press as silence: nothing audible went out in this slot.
      this.emitSent(this.silence);
      return;
    }
    const finished: (() => void)[] = [];
    const queued = this.queue.nextFrame(this.frame, finished);
    const frame = this.muted || !queued ? this.silence : this.frame;
    const header = new this.RtpHeader({
      sequenceNumber: this.seq,
      timestamp: this.timestampOf(slot),
      payloadType: 0,
      marker: false,
    });
    this.seq = (this.seq + 1) & 0xffff;
    const payload = this.g711.encode(frame);
    const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    void this.transceiver.sender.sendRtp(new this.RtpPacket(header, bytes));
    this.counters.packetsSent++;
    this.emitSent(frame.slice());
    for (const settle of finished) settle();
  }

  private sendTelephoneEvent(payload: Uint8Array, marker: boolean, timestamp: number): void {
    const payloadType = this.transceiver.codecs.find(
      (c) => c.name.toLowerCase() === 'telephone-event',
    )?.payloadType;
    if (payloadType === undefined) return; // the browser offered no telephone-event: keys cannot be sent
    const sender = this.transceiver.sender;
    const header = new this.RtpHeader({
      sequenceNumber: this.seq,
      timestamp,
      payloadType,
      marker,
      ssrc: sender.ssrc,
    });
    // The sender's own sendRtp stamps the audio payload type on every packet, so events go out on the
    // same DTLS-SRTP transport directly, sharing the audio's SSRC and sequence numbers.
    void sender.dtlsTransport.sendRtp(
      Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
      header,
    );
    this.seq = (this.seq + 1) & 0xffff;
    this.counters.packetsSent++;
  }

  private emitSent(frame: AudioFrame): void {
    for (const listener of this.sentListeners) listener(frame);
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────────────────────────────

  private onConnectionState(state: string): void {
    if (state === 'connected') {
      this.cancel(this.connectTimer);
      this.cancel(this.disconnectTimer);
      this.connectTimer = null;
      this.disconnectTimer = null;
      this.startClock();
    } else if (state === 'failed') this.shutdown('ice-failed');
    else if (state === 'closed') this.shutdown('peer');
    else if (state === 'disconnected' && !this.disconnectTimer)
      this.disconnectTimer = this.after(this.timers.disconnectGraceMs, () => this.shutdown('ice-failed'));
  }

  private cancel(timer: ReturnType<typeof setTimeout> | null): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timeouts.delete(timer);
  }

  private after(ms: number, fn: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timeouts.delete(timer);
      fn();
    }, ms);
    this.timeouts.add(timer);
    return timer;
  }

  private shutdown(reason: WebRtcLegCloseReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeReason = reason;
    if (this.sendTimer) clearTimeout(this.sendTimer);
    for (const timer of this.timeouts) clearTimeout(timer);
    this.timeouts.clear();
    this.queue.clear();
    this.dtmfOut.cancel();
    void this.pc.close().catch(() => {});
    this.resolveClosed();
  }
}
