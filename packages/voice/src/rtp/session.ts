// An RTP session to one SIP peer as a MediaLeg: G.711 on a drift-free 20 ms clock, symmetric RTP
// latching, a per-source flood guard, a jitter buffer, RFC 4733 DTMF, hold directions, media timeout.
import { randomBytes } from 'node:crypto';
import type { RemoteInfo } from 'node:dgram';
import { type G711Codec, g711Codec } from '../codecs/g711.ts';
import type { MediaDirection, NegotiatedMedia } from '../sdp/offerAnswer.ts';
import {
  type AudioFrame,
  type DtmfDigit,
  FRAME_MS,
  FRAME_SAMPLES,
  type MediaLeg,
  type MediaLegStats,
  type Playback,
  type Unsubscribe,
} from '../types.ts';
import { DtmfReceiver, DtmfSender, dtmfEventCode } from './dtmf.ts';
import { FloodGuard, type FloodGuardOptions } from './floodGuard.ts';
import { JitterBuffer, type JitterBufferOptions } from './jitterBuffer.ts';
import { allocateRtp, looksLikeRtcp, parseRtp, sequenceDelta } from './packet.ts';
import { PlaybackQueue } from './playbackQueue.ts';
import type { RtpPortLease } from './ports.ts';

/** What the session needs from the SDP exchange (call control's NegotiatedMedia fits as it is). */
export type RtpMedia = Pick<
  NegotiatedMedia,
  'remoteAddress' | 'remotePort' | 'codec' | 'payloadType' | 'dtmfPayloadType'
> & {
  direction?: MediaDirection;
};

export type RtpCloseReason = 'hangup' | 'media-timeout' | 'socket-error';

export interface RtpSessionOptions {
  id: string;
  /** The bound socket pair from RtpPortAllocator; released when the session closes. */
  lease: RtpPortLease;
  media: RtpMedia;
  /** Close when no valid RTP arrived for this long while the peer should be sending (default 30 s; 0 = never). */
  mediaTimeoutMs?: number;
  /**
   * Symmetric RTP (default true): send to where the peer's RTP comes from. The negotiated address wins
   * at once; another source (the peer behind NAT) wins after `latchPackets` consecutive valid packets
   * of one SSRC while the negotiated address has sent nothing.
   */
  symmetric?: boolean;
  latchPackets?: number;
  flood?: FloodGuardOptions;
  jitter?: JitterBufferOptions;
  /** Listener exceptions end up here instead of crashing the clock. */
  onError?: (error: unknown) => void;
  /** Time source in ms (default performance.now). */
  now?: () => number;
}

export interface RtpSessionStats extends MediaLegStats {
  /** Slots not sent at all because the event loop was blocked for more than 200 ms. */
  skippedSlots: number;
  droppedInvalid: number;
  droppedWrongSource: number;
  droppedRateLimited: number;
  droppedLate: number;
  droppedDuplicate: number;
  concealed: number;
  /** Received packets dropped to win back delay: quiet ones in a pause, or any at the hard limit. */
  shrunk: number;
  rtcpIgnored: number;
  dtmfSent: number;
  latchedTo: string | null;
}

const MAX_CATCH_UP_SLOTS = 10;

/** RFC 1918, carrier-grade NAT (RFC 6598), link-local and unspecified IPv4; IPv6 ULA and link-local. */
function isPrivateAddress(address: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(address);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    return (
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254)
    );
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

/**
 * Whether RTP from `source` may replace the negotiated peer address. A NAT in front of the peer keeps
 * its IP and rewrites the port, or the peer advertised a private address it cannot be reached at; a
 * stranger on another public IP is neither, so it cannot take over the call's media (RTP bleed).
 */
export function mayLatchTo(negotiated: string, source: string): boolean {
  return source === negotiated || isPrivateAddress(negotiated);
}

function sourceKey(address: string, port: number): string {
  return `${address}:${port}`;
}

export class RtpSession implements MediaLeg {
  readonly id: string;
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private reason: RtpCloseReason | null = null;

  private codecImpl: G711Codec;
  private payloadType: number;
  private dtmfPayloadType: number | null;
  private direction: MediaDirection;
  private remote: { address: string; port: number };
  /** Where we send: the negotiated address until symmetric RTP latched onto another source. */
  private sendTo: { address: string; port: number };
  private negotiatedKey: string;
  private latched: string | null = null;
  private candidate: { key: string; ssrc: number; seq: number; count: number } | null = null;
  private peerSsrc: number | null = null;

  private readonly lease: RtpPortLease;
  private readonly symmetric: boolean;
  private readonly latchPackets: number;
  private readonly mediaTimeoutMs: number;
  private readonly flood: FloodGuard;
  private readonly jitter: JitterBuffer;
  private readonly onError: (error: unknown) => void;
  private readonly now: () => number;

  private readonly ssrc: number;
  private seq: number;
  private readonly timestampBase: number;
  private readonly startedAt: number;
  private slot = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Set while a late tick waits one event-loop turn for the socket to be read (see tick()). */
  private catchUp: NodeJS.Immediate | null = null;
  private marker = true;
  private muted = false;
  private lastReceivedAt: number;

  /** One callback for every send (no closure per packet); a failed send is reported, not fatal. */
  private readonly afterSend = (error: Error | null): void => {
    if (error) this.onError(error);
  };
  private readonly queue = new PlaybackQueue();
  private readonly dtmfSender = new DtmfSender();
  private readonly dtmfReceiver: DtmfReceiver;
  private readonly audioListeners = new Set<(frame: AudioFrame) => void>();
  private readonly sentListeners = new Set<(frame: AudioFrame) => void>();
  private readonly dtmfListeners = new Set<(digit: DtmfDigit) => void>();
  private readonly counters = {
    packetsSent: 0,
    packetsReceived: 0,
    lateSent: 0,
    skippedSlots: 0,
    droppedInvalid: 0,
    droppedWrongSource: 0,
    droppedRateLimited: 0,
    rtcpIgnored: 0,
    dtmfSent: 0,
  };

  constructor(options: RtpSessionOptions) {
    this.id = options.id;
    this.lease = options.lease;
    this.codecImpl = g711Codec(options.media.codec);
    this.payloadType = options.media.payloadType;
    this.dtmfPayloadType = options.media.dtmfPayloadType;
    this.direction = options.media.direction ?? 'sendrecv';
    this.remote = { address: options.media.remoteAddress, port: options.media.remotePort };
    this.negotiatedKey = sourceKey(this.remote.address, this.remote.port);
    this.sendTo = this.remote;
    this.symmetric = options.symmetric ?? true;
    this.latchPackets = Math.max(1, options.latchPackets ?? 3);
    this.mediaTimeoutMs = options.mediaTimeoutMs ?? 30_000;
    this.flood = new FloodGuard(options.flood);
    this.jitter = new JitterBuffer(options.jitter);
    this.onError = options.onError ?? (() => {});
    this.now = options.now ?? (() => performance.now());
    this.dtmfReceiver = new DtmfReceiver((digit) => this.emit(this.dtmfListeners, digit));
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });

    const random = randomBytes(8);
    this.ssrc = random.readUInt32BE(0);
    this.seq = random.readUInt16BE(4);
    this.timestampBase = random.readUInt32BE(4) ^ random.readUInt16BE(6);
    this.startedAt = this.now();
    this.lastReceivedAt = this.startedAt;

    this.lease.rtp.on('message', (datagram, rinfo) => this.receive(datagram, rinfo));
    this.lease.rtp.on('error', (error) => {
      this.onError(error);
      this.close('socket-error');
    });
    this.schedule();
  }

  get codec(): 'PCMU' | 'PCMA' {
    return this.codecImpl.name;
  }

  get localPort(): number {
    return this.lease.port;
  }

  /** Why the session closed, once it has. */
  get closeReason(): RtpCloseReason | null {
    return this.reason;
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
    if (this.reason) return { stop: () => {}, done: Promise.resolve('stopped') };
    return this.queue.enqueue(samples);
  }

  stopPlayback(): void {
    this.queue.clear();
  }

  sendDtmf(digits: string): Promise<void> {
    if (this.reason) return Promise.reject(new Error('RTP session is closed'));
    if (this.dtmfPayloadType === null)
      return Promise.reject(new Error('the peer did not negotiate telephone-event'));
    try {
      for (const digit of digits) dtmfEventCode(digit);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.dtmfSender.enqueue(digits);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  /**
   * Hold and resume: 'sendonly'/'inactive' stop what we expect to receive (no media timeout),
   * 'recvonly'/'inactive' stop what we send (the queue waits).
   */
  setDirection(direction: MediaDirection): void {
    if (this.direction === direction) return;
    if (!this.sends(direction)) this.marker = true;
    this.direction = direction;
    this.lastReceivedAt = this.now();
  }

  /** A re-INVITE changed the peer's address, port, codec or direction. */
  update(media: RtpMedia): void {
    const key = sourceKey(media.remoteAddress, media.remotePort);
    if (key !== this.negotiatedKey) {
      this.remote = { address: media.remoteAddress, port: media.remotePort };
      this.sendTo = this.remote;
      this.negotiatedKey = key;
      this.latched = null;
      this.candidate = null;
      this.jitter.reset();
    }
    this.codecImpl = g711Codec(media.codec);
    this.payloadType = media.payloadType;
    this.dtmfPayloadType = media.dtmfPayloadType;
    if (media.direction) this.setDirection(media.direction);
  }

  close(reason: RtpCloseReason = 'hangup'): void {
    if (this.reason) return;
    this.reason = reason;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.catchUp) clearImmediate(this.catchUp);
    this.catchUp = null;
    this.queue.clear();
    this.dtmfSender.cancel();
    this.lease.rtp.removeAllListeners('message');
    this.lease.rtp.on('error', () => {});
    this.lease.release();
    this.resolveClosed();
  }

  stats(): RtpSessionStats {
    const j = this.jitter.stats;
    const c = this.counters;
    return {
      packetsSent: c.packetsSent,
      packetsReceived: c.packetsReceived,
      lateSent: c.lateSent,
      droppedReceived: c.droppedInvalid + c.droppedWrongSource + c.droppedRateLimited + j.late + j.duplicates,
      skippedSlots: c.skippedSlots,
      droppedInvalid: c.droppedInvalid,
      droppedWrongSource: c.droppedWrongSource,
      droppedRateLimited: c.droppedRateLimited,
      droppedLate: j.late,
      droppedDuplicate: j.duplicates,
      concealed: j.concealed,
      shrunk: j.shrunk + j.skipped,
      rtcpIgnored: c.rtcpIgnored,
      dtmfSent: c.dtmfSent,
      latchedTo: this.latched,
    };
  }

  // ------------------------------------------------------------------------------------------------
  // The clock: slot n is due at startedAt + n·20 ms; timers are set against that absolute schedule,
  // so their own lateness never accumulates into drift.

  private schedule(): void {
    if (this.reason) return;
    const due = this.startedAt + this.slot * FRAME_MS;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - this.now()));
  }

  private tick(): void {
    this.timer = null;
    if (this.reason) return;
    // A tick that fires more than a slot late means the process was busy, and the far end's packets of
    // that time are most likely sitting unread in the socket: timers run before the event loop polls for
    // I/O. Running the due slots now would find the jitter buffer empty and play out silence the caller
    // never sent, cutting gaps into their words. One setImmediate hop lets the poll phase read the
    // socket first.
    if (Math.floor((this.now() - this.startedAt) / FRAME_MS) - this.slot > 1) {
      this.catchUp = setImmediate(() => {
        this.catchUp = null;
        this.runDueSlots();
      });
      return;
    }
    this.runDueSlots();
  }

  private runDueSlots(): void {
    if (this.reason) return;
    const now = this.now();
    let behind = Math.floor((now - this.startedAt) / FRAME_MS) - this.slot;
    if (behind >= MAX_CATCH_UP_SLOTS) {
      // The process stalled: a burst of stale audio helps nobody; resume at the present slot.
      this.counters.skippedSlots += behind;
      this.slot += behind;
      this.marker = true;
      behind = 0;
    }
    try {
      for (let i = 0; i <= behind && !this.reason; i++) {
        const due = this.startedAt + this.slot * FRAME_MS;
        this.runSlot(now - due > FRAME_MS);
        this.slot++;
      }
      this.checkTimeouts(now);
    } catch (error) {
      this.onError(error);
    }
    this.schedule();
  }

  private runSlot(late: boolean): void {
    // Send first, then hand out the received frame: a recorder fed by both sees the pair of one slot.
    if (this.sends(this.direction)) this.sendSlot(late);
    const frame = this.jitter.pull();
    this.emit(this.audioListeners, frame);
  }

  private sendSlot(late: boolean): void {
    const timestamp = (this.timestampBase + this.slot * FRAME_SAMPLES) >>> 0;
    const dtmf = this.dtmfPayloadType !== null ? this.dtmfSender.next(this.slot) : null;
    const frame = new Int16Array(FRAME_SAMPLES);
    const finished: Array<() => void> = [];
    let datagram: Buffer;
    if (dtmf) {
      const eventTimestamp = (this.timestampBase + dtmf.startSlot * FRAME_SAMPLES) >>> 0;
      const packet = allocateRtp(
        this.dtmfPayloadType!,
        dtmf.marker,
        this.seq,
        eventTimestamp,
        this.ssrc,
        dtmf.payload.length,
      );
      packet.payload.set(dtmf.payload);
      datagram = packet.datagram;
      this.counters.dtmfSent++;
      this.marker = true; // the audio after the event starts a new talkspurt
    } else {
      const playing = this.queue.nextFrame(frame, finished);
      if (this.muted && playing) frame.fill(0);
      const packet = allocateRtp(
        this.payloadType,
        this.marker,
        this.seq,
        timestamp,
        this.ssrc,
        FRAME_SAMPLES,
      );
      this.codecImpl.encode(frame, packet.payload);
      datagram = packet.datagram;
      this.marker = false;
    }
    this.seq = (this.seq + 1) & 0xffff;
    const { address, port } = this.sendTo;
    this.lease.rtp.send(datagram, port, address, this.afterSend);
    this.counters.packetsSent++;
    if (late) this.counters.lateSent++;
    this.emit(this.sentListeners, frame);
    for (const settle of finished) settle();
  }

  private checkTimeouts(now: number): void {
    this.dtmfReceiver.expire(now);
    if (
      this.mediaTimeoutMs > 0 &&
      this.receives(this.direction) &&
      now - this.lastReceivedAt > this.mediaTimeoutMs
    ) {
      this.close('media-timeout');
    }
  }

  private sends(direction: MediaDirection): boolean {
    return direction === 'sendrecv' || direction === 'sendonly';
  }

  private receives(direction: MediaDirection): boolean {
    return direction === 'sendrecv' || direction === 'recvonly';
  }

  // ------------------------------------------------------------------------------------------------
  // Receive path: cheapest checks first, so a flood costs a map lookup and a counter per datagram.

  private receive(datagram: Buffer, rinfo: RemoteInfo): void {
    if (this.reason) return;
    const key = sourceKey(rinfo.address, rinfo.port);
    if (this.latched !== null && key !== this.latched) {
      this.counters.droppedWrongSource++;
      return;
    }
    const now = this.now();
    if (!this.flood.allow(key, now)) {
      this.counters.droppedRateLimited++;
      return;
    }
    if (looksLikeRtcp(datagram)) {
      this.counters.rtcpIgnored++;
      return;
    }
    const parsed = parseRtp(datagram);
    if (!parsed.ok) {
      this.counters.droppedInvalid++;
      return;
    }
    const packet = parsed.packet;
    const isAudio = packet.payloadType === this.payloadType;
    const isDtmf = this.dtmfPayloadType !== null && packet.payloadType === this.dtmfPayloadType;
    if (!isAudio && !isDtmf) {
      this.counters.droppedInvalid++;
      return;
    }
    if (this.latched === null && !this.latch(key, rinfo, packet.ssrc, packet.sequenceNumber)) {
      this.counters.droppedWrongSource++;
      return;
    }
    this.counters.packetsReceived++;
    this.lastReceivedAt = now;
    if (isDtmf) {
      this.dtmfReceiver.receive(packet.payload, packet.timestamp, now);
      // Events in the audio stream's sequence space occupy its timeline: their slots play as silence
      // rather than as losses. Some gateways send events under an SSRC of their own; those stay out.
      if (packet.ssrc === this.peerSsrc)
        this.jitter.push(packet.sequenceNumber, new Int16Array(FRAME_SAMPLES));
      return;
    }
    if (this.peerSsrc !== packet.ssrc) {
      // A new stream from the same peer (restart, re-INVITE): its sequence space starts afresh.
      this.peerSsrc = packet.ssrc;
      this.jitter.reset();
    }
    try {
      this.jitter.push(packet.sequenceNumber, this.codecImpl.decode(packet.payload));
    } catch (error) {
      this.onError(error);
    }
  }

  /** Decides whether this source becomes the peer; true when it is (now) the latched source. */
  private latch(key: string, rinfo: RemoteInfo, ssrc: number, seq: number): boolean {
    if (key === this.negotiatedKey) {
      this.latched = key;
      this.candidate = null;
      return true;
    }
    if (!this.symmetric || !mayLatchTo(this.remote.address, rinfo.address)) return false;
    const c = this.candidate;
    if (
      c &&
      c.key === key &&
      c.ssrc === ssrc &&
      sequenceDelta(c.seq, seq) > 0 &&
      sequenceDelta(c.seq, seq) < 10
    ) {
      c.count++;
      c.seq = seq;
    } else {
      this.candidate = { key, ssrc, seq, count: 1 };
    }
    if (this.candidate!.count < this.latchPackets) return false;
    this.latched = key;
    this.sendTo = { address: rinfo.address, port: rinfo.port };
    this.candidate = null;
    return true;
  }

  private emit<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
