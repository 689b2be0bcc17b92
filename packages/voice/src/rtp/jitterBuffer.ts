// Inbound audio reordering for one RTP stream: packets in by sequence number, exactly one 20 ms frame
// out per tick of the leg's clock; duplicates and too-late packets dropped, gaps filled with silence.
// After a stall (a busy process, a burst from the far end) the delay it left behind is won back in the
// caller's pauses: quiet packets beyond the target depth are dropped once a pause has lasted a while,
// speech and the short gaps inside words never are until the hard limit, so a loaded machine delays
// what the caller says instead of cutting syllables out of it or squeezing it. A stream that stalls
// mid-playout raises the depth it waits for, so a far end that sends in bursts stops being cut up.
import { FRAME_SAMPLES } from '../types.ts';
import { sequenceDelta } from './packet.ts';

export interface JitterBufferOptions {
  /** Packets held before playout starts (and after an underrun): the added delay, default 3 (60 ms). */
  targetPackets?: number;
  /** Beyond this many held packets the oldest are skipped to get back to the target (default 50, 1 s). */
  maxPackets?: number;
  /**
   * Above this many held packets, quiet ones (mean absolute sample below `quietLevel`) are dropped as they
   * come up, shrinking the delay in pauses (default target + 3).
   */
  shrinkAbovePackets?: number;
  /** Mean absolute 16-bit sample under which a packet counts as a pause (default 200, about -44 dBFS). */
  quietLevel?: number;
  /** Quiet packets a pause keeps before the rest of it may be dropped (default 10, 200 ms). */
  pauseKeepPackets?: number;
  /** Highest depth stalls may raise the target to (default 8, 160 ms). */
  maxTargetPackets?: number;
}

export type JitterPushResult = 'queued' | 'duplicate' | 'late';

export interface JitterStats {
  late: number;
  duplicates: number;
  /** Packets never received and replaced by silence. */
  concealed: number;
  /** Ticks where nothing was buffered (the stream stalled or has not started). */
  underruns: number;
  /** Packets thrown away at the hard limit to shrink the delay after a burst. */
  skipped: number;
  /** Quiet packets dropped to shrink the delay in a pause. */
  shrunk: number;
}

export class JitterBuffer {
  private target: number;
  private readonly maxTarget: number;
  private readonly max: number;
  private readonly pauseKeep: number;
  /** Quiet packets in a row just played or dropped: how long the current pause has lasted. */
  private quietRun = 0;
  private readonly shrinkAbove: number;
  private readonly quietLevel: number;
  /** Packets by extended (wrap-free) sequence number. */
  private readonly packets = new Map<number, Int16Array>();
  private highest: number | null = null;
  /** Extended sequence number of the next packet to play (older ones are late); null before playout. */
  private nextSeq: number | null = null;
  private playing = false;
  private waitingTicks = 0;
  /** Samples decoded but not yet handed out (packets need not be 160 samples long). */
  private pending = new Int16Array(FRAME_SAMPLES * 4);
  private pendingLength = 0;
  private lastPacketSamples = FRAME_SAMPLES;
  readonly stats: JitterStats = {
    late: 0,
    duplicates: 0,
    concealed: 0,
    underruns: 0,
    skipped: 0,
    shrunk: 0,
  };

  constructor(options: JitterBufferOptions = {}) {
    this.target = Math.max(1, options.targetPackets ?? 3);
    this.maxTarget = Math.max(this.target, options.maxTargetPackets ?? 8);
    this.max = Math.max(this.maxTarget + 1, options.maxPackets ?? 50);
    this.pauseKeep = Math.max(0, options.pauseKeepPackets ?? 10);
    this.shrinkAbove = Math.max(this.target, options.shrinkAbovePackets ?? this.target + 3);
    this.quietLevel = options.quietLevel ?? 200;
  }

  /** Forgets the stream (new SSRC or a sequence jump): playout restarts with the next packets. */
  reset(): void {
    this.packets.clear();
    this.highest = null;
    this.nextSeq = null;
    this.playing = false;
    this.waitingTicks = 0;
  }

  push(sequenceNumber: number, samples: Int16Array): JitterPushResult {
    let ext: number;
    if (this.highest === null) {
      ext = sequenceNumber;
    } else {
      const delta = sequenceDelta(this.highest & 0xffff, sequenceNumber);
      // A jump of more than a few seconds is a restarted stream, not reordering.
      if (Math.abs(delta) > 500) {
        this.reset();
        ext = sequenceNumber;
      } else {
        ext = this.highest + delta;
      }
    }
    if (this.nextSeq !== null && ext < this.nextSeq) {
      this.stats.late++;
      return 'late';
    }
    if (this.packets.has(ext)) {
      this.stats.duplicates++;
      return 'duplicate';
    }
    this.packets.set(ext, samples);
    if (this.highest === null || ext > this.highest) this.highest = ext;
    return 'queued';
  }

  /** The next 20 ms frame (silence when nothing is due); call exactly once per tick. */
  pull(): Int16Array {
    const frame = new Int16Array(FRAME_SAMPLES);
    if (!this.playing) {
      if (this.packets.size === 0) {
        this.stats.underruns++;
        return this.takePending(frame);
      }
      this.waitingTicks++;
      if (this.packets.size < this.target && this.waitingTicks < this.target) return this.takePending(frame);
      this.playing = true;
      this.waitingTicks = 0;
      this.nextSeq = Math.min(...this.packets.keys());
    }
    if (this.packets.size > this.max) this.skipTo(this.highest! - this.target + 1);
    while (this.pendingLength < FRAME_SAMPLES) {
      const seq = this.nextSeq!;
      const packet = this.packets.get(seq);
      if (packet) {
        this.packets.delete(seq);
        this.nextSeq = seq + 1;
        this.quietRun = isQuiet(packet, this.quietLevel) ? this.quietRun + 1 : 0;
        if (this.quietRun > this.pauseKeep && this.packets.size >= this.shrinkAbove) {
          this.stats.shrunk++;
          continue;
        }
        this.lastPacketSamples = packet.length || FRAME_SAMPLES;
        this.appendPending(packet);
      } else if (this.packets.size > 0) {
        // Lost (later ones are here): silence of a packet's length in its place.
        this.stats.concealed++;
        this.appendPending(new Int16Array(this.lastPacketSamples));
        this.nextSeq = seq + 1;
      } else {
        // Nothing buffered: the stream stalled. Wait for a deeper buffer before resuming.
        this.stats.underruns++;
        this.playing = false;
        if (this.target < this.maxTarget) this.target++;
        break;
      }
    }
    return this.takePending(frame);
  }

  get depth(): number {
    return this.packets.size;
  }

  private skipTo(seq: number): void {
    for (const key of [...this.packets.keys()]) {
      if (key < seq) {
        this.packets.delete(key);
        this.stats.skipped++;
      }
    }
    if (this.nextSeq! < seq) this.nextSeq = seq;
  }

  private appendPending(samples: Int16Array): void {
    if (this.pendingLength + samples.length > this.pending.length) {
      const grown = new Int16Array((this.pendingLength + samples.length) * 2);
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(samples, this.pendingLength);
    this.pendingLength += samples.length;
  }

  private takePending(frame: Int16Array): Int16Array {
    const n = Math.min(FRAME_SAMPLES, this.pendingLength);
    frame.set(this.pending.subarray(0, n));
    this.pending.copyWithin(0, n, this.pendingLength);
    this.pendingLength -= n;
    return frame;
  }
}

function isQuiet(samples: Int16Array, level: number): boolean {
  if (samples.length === 0) return true;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += Math.abs(samples[i]!);
  return sum / samples.length < level;
}
