import { describe, expect, it } from 'vitest';
import type { DtmfDigit } from '../types.ts';
import { DtmfReceiver, DtmfSender, encodeTelephoneEvent, parseTelephoneEvent } from './dtmf.ts';

describe('RFC 4733 DTMF', () => {
  it('encodes and parses the telephone-event payload', () => {
    const payload = encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 });
    expect([...payload]).toEqual([11, 0x80 | 10, 3, 0x20]);
    expect(parseTelephoneEvent(payload)).toEqual({ event: 11, end: true, volume: 10, duration: 800 });
    expect(parseTelephoneEvent(Uint8Array.of(1, 2))).toBeNull();
    expect(() => encodeTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })).toThrow(RangeError);
  });

  it('sends start, updates and three end packets per digit, then a gap, and resolves when done', async () => {
    const sender = new DtmfSender({ toneMs: 100, gapMs: 40 });
    let done = false;
    const promise = sender.enqueue('5#').then(() => {
      done = true;
    });
    const slots: Array<ReturnType<DtmfSender['next']>> = [];
    for (let slot = 100; slot < 125; slot++) slots.push(sender.next(slot));
    await promise;
    expect(done).toBe(true);
    const first = slots
      .slice(0, 8)
      .map((p) => ({ ...parseTelephoneEvent(p!.payload)!, marker: p!.marker, start: p!.startSlot }));
    expect(first.map((p) => p.duration)).toEqual([160, 320, 480, 640, 800, 800, 800, 800]);
    expect(first.map((p) => p.end)).toEqual([false, false, false, false, false, true, true, true]);
    expect(first.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false, false]);
    expect(new Set(first.map((p) => p.start))).toEqual(new Set([100]));
    expect(first.every((p) => p.event === 5)).toBe(true);
    expect(slots.slice(8, 10)).toEqual([null, null]); // the gap carries audio
    const second = slots.slice(10, 18);
    expect(
      second.every((p) => p !== null && parseTelephoneEvent(p.payload)!.event === 11 && p.startSlot === 110),
    ).toBe(true);
    expect(slots.slice(18).every((p) => p === null)).toBe(true);
    expect(sender.busy).toBe(false);
    expect(() => sender.enqueue('x')).toThrow(/not a DTMF digit/);
  });

  it('reports each press once: retransmitted ends collapse, lost ends expire, new events flush', () => {
    const digits: DtmfDigit[] = [];
    const receiver = new DtmfReceiver((d) => digits.push(d), 200);
    const ev = (event: number, end: boolean, duration: number) =>
      encodeTelephoneEvent({ event, end, volume: 10, duration });
    for (let i = 1; i <= 5; i++) receiver.receive(ev(1, false, i * 160), 1000, i * 20);
    for (let i = 0; i < 3; i++) receiver.receive(ev(1, true, 800), 1000, 120 + i * 20);
    expect(digits).toEqual(['1']);
    // Same key again later is a new press (new timestamp); its ends were all lost.
    receiver.receive(ev(1, false, 160), 5000, 1000);
    receiver.expire(1100);
    expect(digits).toEqual(['1']);
    receiver.expire(1250);
    expect(digits).toEqual(['1', '1']);
    // A new event while one is unfinished reports the unfinished one first.
    receiver.receive(ev(9, false, 160), 9000, 2000);
    receiver.receive(ev(10, false, 160), 9800, 2100);
    receiver.receive(ev(10, true, 320), 9800, 2120);
    receiver.receive(ev(10, true, 320), 9800, 2140);
    expect(digits).toEqual(['1', '1', '9', '*']);
    receiver.receive(ev(16, true, 320), 12000, 3000); // flash: not a key press
    expect(digits).toEqual(['1', '1', '9', '*']);
  });
});
