// RFC 4733 telephone-events for DTMF: payload encoding, a sender that turns a digit into start,
// update and three end packets on the 20 ms clock, and a receiver that reports each key press once.
import type { DtmfDigit } from '../types.ts';

const DIGITS: readonly DtmfDigit[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

export function dtmfEventCode(digit: string): number {
  const code = DIGITS.indexOf(digit.toUpperCase() as DtmfDigit);
  if (code < 0) throw new RangeError(`not a DTMF digit: ${JSON.stringify(digit)}`);
  return code;
}

export function dtmfDigitOf(event: number): DtmfDigit | null {
  return DIGITS[event] ?? null;
}

export interface TelephoneEvent {
  event: number;
  end: boolean;
  /** Power level as -dBm0, 0..63. */
  volume: number;
  /** Duration so far in timestamp units (samples at 8 kHz). */
  duration: number;
}

export function encodeTelephoneEvent(ev: TelephoneEvent, out: Uint8Array = new Uint8Array(4)): Uint8Array {
  if (!Number.isInteger(ev.event) || ev.event < 0 || ev.event > 255)
    throw new RangeError('event out of range');
  if (!Number.isInteger(ev.volume) || ev.volume < 0 || ev.volume > 63)
    throw new RangeError('volume out of range');
  if (!Number.isInteger(ev.duration) || ev.duration < 0 || ev.duration > 0xffff)
    throw new RangeError('duration out of range');
  out[0] = ev.event;
  out[1] = (ev.end ? 0x80 : 0) | ev.volume;
  out[2] = ev.duration >> 8;
  out[3] = ev.duration & 0xff;
  return out;
}

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  // A payload may carry redundant events (RFC 2198 is negotiated separately); we read the first block.
  if (payload.length < 4) return null;
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

/** One packet the sender wants on the wire in the current 20 ms slot. */
export interface DtmfPacket {
  payload: Uint8Array;
  /** Set on the first packet of an event. */
  marker: boolean;
  /** Slot index where the event started: its RTP timestamp is that slot's timestamp. */
  startSlot: number;
}

export interface DtmfSenderOptions {
  /** Tone length per digit (default 100 ms). */
  toneMs?: number;
  /** Silence between digits (default 60 ms). */
  gapMs?: number;
  /** -dBm0 (default 10). */
  volume?: number;
}

interface QueuedDigit {
  event: number;
  resolveLast?: () => void;
}

/**
 * Digit queue → telephone-event packets, one per 20 ms slot: the first with the marker bit, duration
 * growing by 160 each slot, then the end packet three times with the final duration, then a gap in
 * which audio flows again. The session asks `next(slot)` every slot and sends audio when it says null.
 */
export class DtmfSender {
  private readonly toneSlots: number;
  private readonly gapSlots: number;
  private readonly volume: number;
  private readonly queue: QueuedDigit[] = [];
  private current: {
    event: number;
    startSlot: number;
    sent: number;
    ends: number;
    done?: () => void;
  } | null = null;
  private gapUntil = -1;

  constructor(options: DtmfSenderOptions = {}) {
    this.toneSlots = Math.max(2, Math.round((options.toneMs ?? 100) / 20));
    this.gapSlots = Math.max(1, Math.round((options.gapMs ?? 60) / 20));
    this.volume = options.volume ?? 10;
  }

  /** Queues digits; resolves when the last end packet of the last digit went out. */
  enqueue(digits: string): Promise<void> {
    const codes = [...digits].map(dtmfEventCode);
    if (codes.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      codes.forEach((event, i) => {
        this.queue.push(i === codes.length - 1 ? { event, resolveLast: resolve } : { event });
      });
    });
  }

  get busy(): boolean {
    return this.current !== null || this.queue.length > 0;
  }

  /** Drops queued digits (the session closed); pending promises resolve so callers do not hang. */
  cancel(): void {
    for (const digit of this.queue) digit.resolveLast?.();
    this.queue.length = 0;
    this.current?.done?.();
    this.current = null;
  }

  next(slot: number): DtmfPacket | null {
    if (!this.current) {
      if (slot < this.gapUntil || this.queue.length === 0) return null;
      const digit = this.queue.shift()!;
      this.current = { event: digit.event, startSlot: slot, sent: 0, ends: 0 };
      if (digit.resolveLast) this.current.done = digit.resolveLast;
    }
    const cur = this.current;
    if (cur.sent < this.toneSlots) {
      cur.sent++;
      const payload = encodeTelephoneEvent({
        event: cur.event,
        end: false,
        volume: this.volume,
        duration: cur.sent * 160,
      });
      return { payload, marker: cur.sent === 1, startSlot: cur.startSlot };
    }
    cur.ends++;
    const payload = encodeTelephoneEvent({
      event: cur.event,
      end: true,
      volume: this.volume,
      duration: cur.sent * 160,
    });
    if (cur.ends === 3) {
      this.current = null;
      this.gapUntil = slot + 1 + this.gapSlots;
      cur.done?.();
    }
    return { payload, marker: false, startSlot: cur.startSlot };
  }
}

/**
 * Telephone-events in → one digit per key press. An event is identified by its RTP timestamp; it is
 * reported at its first end packet (retransmitted ends are ignored), or, if every end packet was lost,
 * once `expire` finds it quiet for `quietMs` or a new event starts.
 */
export class DtmfReceiver {
  private active: { timestamp: number; event: number; lastAt: number } | null = null;
  /** Timestamps of events already reported (a few, for late retransmissions). */
  private readonly reported: number[] = [];

  constructor(
    private readonly emit: (digit: DtmfDigit) => void,
    private readonly quietMs = 250,
  ) {}

  receive(payload: Uint8Array, timestamp: number, now: number): void {
    const ev = parseTelephoneEvent(payload);
    if (!ev) return;
    const digit = dtmfDigitOf(ev.event);
    if (!digit) return; // other telephone-events (flash, tones) are not key presses
    if (this.reported.includes(timestamp)) return;
    if (this.active && this.active.timestamp !== timestamp) this.finish();
    if (!this.active) this.active = { timestamp, event: ev.event, lastAt: now };
    this.active.lastAt = now;
    if (ev.end) this.finish();
  }

  /** Reports an event whose end packets never came. */
  expire(now: number): void {
    if (this.active && now - this.active.lastAt >= this.quietMs) this.finish();
  }

  private finish(): void {
    const active = this.active;
    if (!active) return;
    this.active = null;
    this.reported.push(active.timestamp);
    if (this.reported.length > 8) this.reported.shift();
    const digit = dtmfDigitOf(active.event);
    if (digit) this.emit(digit);
  }
}
