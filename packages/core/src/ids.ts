// Sortable, unguessable ids (UUIDv7). Monotonic within one generator so messages written in the same
// millisecond still sort in the order they were created.
import type { Clock } from './ports.ts';

export type IdGenerator = () => string;

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function createIdGenerator(clock: Clock): IdGenerator {
  let lastMs = -1;
  let seq = 0;
  return () => {
    let ms = clock.now().getTime();
    if (ms <= lastMs) {
      seq += 1;
      if (seq > 0xfff) {
        lastMs += 1;
        seq = 0;
      }
      ms = lastMs;
    } else {
      lastMs = ms;
      seq = Math.floor(Math.random() * 0x400);
    }
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    const time = BigInt(ms);
    for (let i = 0; i < 6; i++) bytes[i] = Number((time >> BigInt(8 * (5 - i))) & 0xffn);
    bytes[6] = 0x70 | ((seq >> 8) & 0x0f);
    bytes[7] = seq & 0xff;
    bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
    const h = hex(bytes);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const isId = (value: string): boolean => UUID_V7.test(value);
