// RTP packets (RFC 3550 §5.1): parsing with validation (version, padding, CSRC list, header extension)
// and serialising; the payload is a view into the datagram, never a copy.

export interface RtpHeaderExtension {
  /** The 16-bit "defined by profile" field. */
  profile: number;
  data: Uint8Array;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension: RtpHeaderExtension | null;
  payload: Uint8Array;
  /** Padding bytes that followed the payload (0 when none). */
  paddingLength: number;
}

export type RtpParseResult = { ok: true; packet: RtpPacket } | { ok: false; reason: string };

const FIXED_HEADER = 12;
/** Larger than any audio packet we handle; bigger datagrams are refused before any work. */
export const MAX_RTP_PACKET_BYTES = 1500;

/**
 * True when a datagram on the RTP port is RTCP (RFC 5761 §4: packet types 192–223 in the second byte),
 * which an RTP parser must not read as a payload type 64–95 packet.
 */
export function looksLikeRtcp(datagram: Uint8Array): boolean {
  if (datagram.length < 2) return false;
  const type = datagram[1]!;
  return type >= 192 && type <= 223;
}

/** Parses a datagram; never throws (the receive path drops what fails, with the reason counted). */
export function parseRtp(datagram: Uint8Array): RtpParseResult {
  const length = datagram.length;
  if (length < FIXED_HEADER) return { ok: false, reason: 'shorter than the RTP header' };
  if (length > MAX_RTP_PACKET_BYTES) return { ok: false, reason: 'larger than an RTP packet' };
  const b0 = datagram[0]!;
  if (b0 >> 6 !== 2) return { ok: false, reason: 'not RTP version 2' };
  if (looksLikeRtcp(datagram)) return { ok: false, reason: 'RTCP on the RTP port' };
  const view = new DataView(datagram.buffer, datagram.byteOffset, length);
  const csrcCount = b0 & 0x0f;
  let offset = FIXED_HEADER + csrcCount * 4;
  if (offset > length) return { ok: false, reason: 'CSRC list runs past the packet' };
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(FIXED_HEADER + i * 4));
  let extension: RtpHeaderExtension | null = null;
  if (b0 & 0x10) {
    if (offset + 4 > length) return { ok: false, reason: 'header extension runs past the packet' };
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    const end = offset + 4 + words * 4;
    if (end > length) return { ok: false, reason: 'header extension runs past the packet' };
    extension = { profile, data: datagram.subarray(offset + 4, end) };
    offset = end;
  }
  let payloadEnd = length;
  let paddingLength = 0;
  if (b0 & 0x20) {
    paddingLength = datagram[length - 1]!;
    if (paddingLength === 0 || offset + paddingLength > length)
      return { ok: false, reason: 'bad padding length' };
    payloadEnd = length - paddingLength;
  }
  const b1 = datagram[1]!;
  return {
    ok: true,
    packet: {
      marker: (b1 & 0x80) !== 0,
      payloadType: b1 & 0x7f,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrcs,
      extension,
      payload: datagram.subarray(offset, payloadEnd),
      paddingLength,
    },
  };
}

export class RtpFormatError extends Error {
  override readonly name = 'RtpFormatError';
}

function checkField(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RtpFormatError(`${what} out of range: ${value}`);
}

/** Serialises a packet (fields are validated: a bad value is a programming error, thrown). */
export function serializeRtp(packet: RtpPacket): Buffer {
  checkField(packet.payloadType, 127, 'payload type');
  checkField(packet.sequenceNumber, 0xffff, 'sequence number');
  checkField(packet.timestamp, 0xffffffff, 'timestamp');
  checkField(packet.ssrc, 0xffffffff, 'SSRC');
  checkField(packet.paddingLength, 255, 'padding length');
  if (packet.csrcs.length > 15) throw new RtpFormatError('at most 15 CSRCs');
  const ext = packet.extension;
  if (ext && ext.data.length % 4 !== 0)
    throw new RtpFormatError('header extension length must be a multiple of 4');
  if (ext) checkField(ext.profile, 0xffff, 'extension profile');
  const headerLength = FIXED_HEADER + packet.csrcs.length * 4 + (ext ? 4 + ext.data.length : 0);
  const out = Buffer.alloc(headerLength + packet.payload.length + packet.paddingLength);
  out[0] = 0x80 | (packet.paddingLength ? 0x20 : 0) | (ext ? 0x10 : 0) | packet.csrcs.length;
  out[1] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  out.writeUInt16BE(packet.sequenceNumber, 2);
  out.writeUInt32BE(packet.timestamp >>> 0, 4);
  out.writeUInt32BE(packet.ssrc >>> 0, 8);
  let offset = FIXED_HEADER;
  for (const csrc of packet.csrcs) {
    checkField(csrc, 0xffffffff, 'CSRC');
    out.writeUInt32BE(csrc, offset);
    offset += 4;
  }
  if (ext) {
    out.writeUInt16BE(ext.profile, offset);
    out.writeUInt16BE(ext.data.length / 4, offset + 2);
    out.set(ext.data, offset + 4);
    offset += 4 + ext.data.length;
  }
  out.set(packet.payload, offset);
  if (packet.paddingLength) out[out.length - 1] = packet.paddingLength;
  return out;
}

/**
 * The send path's fast form: a plain header (no CSRC, extension or padding) in front of a payload of
 * `payloadLength` bytes, returned with the payload region for the encoder to fill in place.
 */
export function allocateRtp(
  payloadType: number,
  marker: boolean,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
  payloadLength: number,
): { datagram: Buffer; payload: Buffer } {
  const datagram = Buffer.allocUnsafe(FIXED_HEADER + payloadLength);
  datagram[0] = 0x80;
  datagram[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  datagram.writeUInt16BE(sequenceNumber & 0xffff, 2);
  datagram.writeUInt32BE(timestamp >>> 0, 4);
  datagram.writeUInt32BE(ssrc >>> 0, 8);
  return { datagram, payload: datagram.subarray(FIXED_HEADER) };
}

/** Distance from `from` to `to` in 16-bit sequence space, in -32768..32767 (wrap-aware). */
export function sequenceDelta(from: number, to: number): number {
  return ((to - from + 0x18000) & 0xffff) - 0x8000;
}
