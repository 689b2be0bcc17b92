import { describe, expect, it } from 'vitest';
import {
  allocateRtp,
  looksLikeRtcp,
  parseRtp,
  type RtpPacket,
  sequenceDelta,
  serializeRtp,
} from './packet.ts';

const base: RtpPacket = {
  marker: true,
  payloadType: 8,
  sequenceNumber: 65535,
  timestamp: 0xfffffff0,
  ssrc: 0xdeadbeef,
  csrcs: [],
  extension: null,
  payload: Uint8Array.of(1, 2, 3),
  paddingLength: 0,
};

function parsed(datagram: Uint8Array): RtpPacket {
  const result = parseRtp(datagram);
  if (!result.ok) throw new Error(result.reason);
  const p = result.packet;
  // Views into a Buffer: compare as plain bytes.
  return {
    ...p,
    payload: Uint8Array.from(p.payload),
    extension: p.extension && { ...p.extension, data: Uint8Array.from(p.extension.data) },
  };
}

describe('RTP packets', () => {
  it('round-trips the plain header and every optional part', () => {
    expect(parsed(serializeRtp(base))).toEqual(base);
    const full: RtpPacket = {
      ...base,
      marker: false,
      csrcs: [1, 0xffffffff],
      extension: { profile: 0xbede, data: Uint8Array.of(0x10, 0xaa, 0, 0) },
      paddingLength: 3,
    };
    const wire = serializeRtp(full);
    expect(wire[0]).toBe(0x80 | 0x20 | 0x10 | 2);
    expect(wire.length).toBe(12 + 8 + 8 + 3 + 3);
    expect(parsed(wire)).toEqual(full);
  });

  it('writes the fast send form with the same bytes as the general serialiser', () => {
    const { datagram, payload } = allocateRtp(8, true, 65535, 0xfffffff0, 0xdeadbeef, 3);
    payload.set([1, 2, 3]);
    expect(datagram).toEqual(serializeRtp(base));
  });

  it('refuses malformed datagrams with a reason instead of throwing', () => {
    const good = serializeRtp({
      ...base,
      csrcs: [7],
      extension: { profile: 1, data: new Uint8Array(4) },
      paddingLength: 2,
    });
    const cases: Array<[string, Uint8Array]> = [
      ['short', good.subarray(0, 11)],
      ['version 1', Uint8Array.from(good, (b, i) => (i === 0 ? (b & 0x3f) | 0x40 : b))],
      ['CSRC past end', Uint8Array.of(0x8f, 0, ...new Array(14).fill(0))],
      ['extension past end', Uint8Array.of(0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9)],
      ['zero padding', Uint8Array.from([...good.subarray(0, good.length - 1), 0])],
      ['padding past header', Uint8Array.from([...good.subarray(0, good.length - 1), 200])],
      ['huge', new Uint8Array(2000).fill(0x80)],
    ];
    for (const [what, datagram] of cases) {
      const result = parseRtp(datagram);
      expect(result.ok, what).toBe(false);
    }
  });

  it('tells RTCP apart on a shared port and computes wrap-aware sequence distances', () => {
    expect(looksLikeRtcp(Uint8Array.of(0x80, 200, 0, 6))).toBe(true);
    expect(parseRtp(Uint8Array.of(0x80, 201, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).toEqual({
      ok: false,
      reason: 'RTCP on the RTP port',
    });
    expect(looksLikeRtcp(serializeRtp(base))).toBe(false);
    expect(sequenceDelta(65535, 0)).toBe(1);
    expect(sequenceDelta(0, 65535)).toBe(-1);
    expect(sequenceDelta(100, 90)).toBe(-10);
  });

  it('validates fields when serialising', () => {
    expect(() => serializeRtp({ ...base, payloadType: 128 })).toThrow(/payload type/);
    expect(() => serializeRtp({ ...base, sequenceNumber: 70000 })).toThrow(/sequence/);
    expect(() => serializeRtp({ ...base, extension: { profile: 1, data: new Uint8Array(3) } })).toThrow(
      /multiple of 4/,
    );
  });
});
