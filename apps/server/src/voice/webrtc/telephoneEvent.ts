// RFC 4733 telephone-event payloads for the browser leg: reading key presses (one per event, however
// often its end packet is repeated) and writing the packets of a digit the server sends.
import type { DtmfDigit } from '@zhike/voice';

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

export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  duration: number;
}

/** The 4-byte event payload, or null when it is not one (short packets are ignored, never thrown on). */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  const flags = payload[1] ?? 0;
  return {
    event: payload[0] ?? 0,
    end: (flags & 0x80) !== 0,
    volume: flags & 0x3f,
    duration: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0),
  };
}

export function digitOfEvent(event: number): DtmfDigit | null {
  return DIGITS[event] ?? null;
}

export function eventOfDigit(digit: string): number | null {
  const index = DIGITS.indexOf(digit.toUpperCase() as DtmfDigit);
  return index < 0 ? null : index;
}

export function writeTelephoneEvent(e: TelephoneEvent): Buffer {
  const out = Buffer.alloc(4);
  out[0] = e.event & 0xff;
  out[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  out.writeUInt16BE(Math.min(e.duration, 0xffff), 2);
  return out;
}

/**
 * Collapses a sender's packets into key presses: an event is reported on its first end packet; the
 * retransmitted end packets carry the same RTP timestamp and are dropped.
 */
export class DtmfReceiver {
  private lastEndedTimestamp: number | null = null;

  accept(timestamp: number, payload: Uint8Array): DtmfDigit | null {
    const event = parseTelephoneEvent(payload);
    if (!event?.end || timestamp === this.lastEndedTimestamp) return null;
    this.lastEndedTimestamp = timestamp;
    return digitOfEvent(event.event);
  }
}
