// SDP offer/answer (RFC 3264) for a call's single audio stream: G.711 (PCMA/PCMU, matched by name) plus
// RFC 4733 telephone-event, 20 ms packets, and the stream direction that hold/resume is built on.
import { type MediaDescription, parse, type SessionDescription, write } from 'sdp-transform';
import type { AudioCodec } from '../types.ts';

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** What both sides agreed on, seen from our side: where to send, how to encode, what we may do. */
export interface NegotiatedMedia {
  remoteAddress: string;
  remotePort: number;
  codec: AudioCodec;
  /** The payload type the peer uses for the codec (static 0/8 or a dynamic one). */
  payloadType: number;
  /** telephone-event payload type, or null when the peer does not do RFC 4733. */
  dtmfPayloadType: number | null;
  ptime: number;
  /** Our direction: 'sendonly' means we send and the peer does not (we put them on hold)… */
  direction: MediaDirection;
}

/** Why an SDP body could not be used; `statusCode` is the SIP answer to give (488 or 400). */
export class SdpNegotiationError extends Error {
  constructor(
    message: string,
    readonly statusCode: 400 | 488,
  ) {
    super(message);
    this.name = 'SdpNegotiationError';
  }
}

export const PTIME_MS = 20;
const DTMF_EVENT = 'telephone-event';
const DEFAULT_DTMF_PAYLOAD = 101;
/** Static payload numbers of RFC 3551, used when an offer lists them without an rtpmap line. */
const STATIC_CODECS: Record<number, AudioCodec> = { 0: 'PCMU', 8: 'PCMA' };
const CODEC_PAYLOAD: Record<AudioCodec, number> = { PCMU: 0, PCMA: 8 };
const MAX_SDP_BYTES = 16 * 1024;

interface OfferedFormat {
  payload: number;
  name: string;
  rate: number;
}

interface RemoteAudio {
  address: string;
  port: number;
  formats: OfferedFormat[];
  direction: MediaDirection;
  /** Index of the chosen m= line, to answer the others with port 0. */
  index: number;
}

function parseBody(text: string): SessionDescription {
  if (text.length === 0) throw new SdpNegotiationError('empty SDP body', 400);
  if (text.length > MAX_SDP_BYTES) throw new SdpNegotiationError('SDP body too large', 400);
  let parsed: SessionDescription;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new SdpNegotiationError(`unparseable SDP: ${(error as Error).message}`, 400);
  }
  if (parsed.version !== 0 || !Array.isArray(parsed.media)) {
    throw new SdpNegotiationError('not an SDP body (v=0 missing)', 400);
  }
  return parsed;
}

function formatsOf(media: MediaDescription): OfferedFormat[] {
  const listed = String(media.payloads ?? '')
    .split(/\s+/)
    .filter((token) => /^\d{1,3}$/.test(token))
    .map(Number);
  return listed.map((payload) => {
    const map = (media.rtp ?? []).find((entry) => entry.payload === payload);
    if (map) return { payload, name: map.codec.toUpperCase(), rate: map.rate ?? 8000 };
    return { payload, name: STATIC_CODECS[payload] ?? `PT${payload}`, rate: 8000 };
  });
}

function directionOf(media: MediaDescription, session: SessionDescription): MediaDirection {
  const value = (media.direction ?? session.direction ?? 'sendrecv') as string;
  return value === 'sendonly' || value === 'recvonly' || value === 'inactive' ? value : 'sendrecv';
}

function remoteAudio(session: SessionDescription): RemoteAudio {
  const index = session.media.findIndex(
    (media) => media.type === 'audio' && media.port > 0 && /^RTP\/AVPF?$/i.test(media.protocol),
  );
  const media = session.media[index];
  if (!media) throw new SdpNegotiationError('no usable audio stream (plain RTP/AVP) offered', 488);
  const address = media.connection?.ip ?? session.connection?.ip;
  if (!address) throw new SdpNegotiationError('audio stream without a connection address', 400);
  if (!Number.isInteger(media.port) || media.port > 65535) {
    throw new SdpNegotiationError('audio stream with an invalid port', 400);
  }
  let direction = directionOf(media, session);
  // RFC 2543 hold: c=0.0.0.0 means "do not send to me", whatever the attribute says.
  if (address === '0.0.0.0')
    direction = direction === 'sendrecv' || direction === 'sendonly' ? 'sendonly' : 'inactive';
  return { address, port: media.port, formats: formatsOf(media), direction, index };
}

function sends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

function receives(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

function directionFrom(send: boolean, receive: boolean): MediaDirection {
  if (send && receive) return 'sendrecv';
  if (send) return 'sendonly';
  if (receive) return 'recvonly';
  return 'inactive';
}

/** What we do, given what we want and the direction the peer declared from its own side. */
export function agreedDirection(wanted: MediaDirection, peer: MediaDirection): MediaDirection {
  return directionFrom(sends(wanted) && receives(peer), receives(wanted) && sends(peer));
}

function pickCodec(formats: OfferedFormat[], allowed: readonly AudioCodec[]): OfferedFormat | undefined {
  return formats.find(
    (format) => format.rate === 8000 && (allowed as readonly string[]).includes(format.name),
  );
}

function pickDtmf(formats: OfferedFormat[]): OfferedFormat | undefined {
  return formats.find((format) => format.name === DTMF_EVENT.toUpperCase() && format.rate === 8000);
}

export interface SdpSessionOptions {
  /** Address written in c= and o=: the public (NAT) address when configured, else the local one. */
  address: string;
  /** Our RTP port for this call. */
  port: number;
  /** Codecs we accept, our preference first (only used to order our own offers). */
  codecs?: readonly AudioCodec[];
  /** o= session id; random by default. */
  sessionId?: string;
}

/**
 * One call's side of the SDP exchange. Keeps the o= line's version across re-INVITEs (it only moves
 * when our description changes, RFC 3264 §8) and remembers our last offer to read the answer against.
 */
export class SdpSession {
  readonly address: string;
  readonly port: number;
  private readonly codecs: readonly AudioCodec[];
  private readonly sessionId: string;
  private version = 0;
  private lastBody: string | null = null;
  private pendingOffer: MediaDirection | null = null;

  constructor(options: SdpSessionOptions) {
    this.address = options.address;
    this.port = options.port;
    this.codecs = options.codecs?.length ? options.codecs : ['PCMA', 'PCMU'];
    this.sessionId = options.sessionId ?? String(Math.floor(Math.random() * 1e12));
  }

  /** Our offer (initial INVITE or a re-INVITE for hold/resume). */
  createOffer(direction: MediaDirection = 'sendrecv'): string {
    this.pendingOffer = direction;
    const formats = this.codecs.map((codec) => ({ payload: CODEC_PAYLOAD[codec], name: codec }));
    return this.render(formats, DEFAULT_DTMF_PAYLOAD, direction, null);
  }

  /** Reads the peer's answer to our last offer. */
  acceptAnswer(answer: string): NegotiatedMedia {
    const offered = this.pendingOffer;
    if (offered === null) throw new SdpNegotiationError('an answer arrived without an offer of ours', 400);
    const remote = remoteAudio(parseBody(answer));
    const codec = pickCodec(remote.formats, this.codecs);
    if (!codec) throw new SdpNegotiationError('the answer has no G.711 codec we offered', 488);
    this.pendingOffer = null;
    return {
      remoteAddress: remote.address,
      remotePort: remote.port,
      codec: codec.name as AudioCodec,
      payloadType: codec.payload,
      dtmfPayloadType: pickDtmf(remote.formats)?.payload ?? null,
      ptime: PTIME_MS,
      direction: agreedDirection(offered, remote.direction),
    };
  }

  /**
   * Answers the peer's offer: the first G.711 codec in the peer's order, its telephone-event when
   * offered, and the direction we want intersected with theirs. Throws SdpNegotiationError (488 when
   * nothing fits, 400 when the body is broken).
   */
  answerOffer(offer: string, wanted: MediaDirection = 'sendrecv'): { sdp: string; media: NegotiatedMedia } {
    const parsed = parseBody(offer);
    const remote = remoteAudio(parsed);
    const codec = pickCodec(remote.formats, this.codecs);
    if (!codec) throw new SdpNegotiationError('no G.711 (PCMA/PCMU) codec offered', 488);
    const dtmf = pickDtmf(remote.formats);
    const direction = agreedDirection(wanted, remote.direction);
    const rejected = parsed.media.map((media, index) => (index === remote.index ? null : media));
    const sdp = this.render(
      [{ payload: codec.payload, name: codec.name }],
      dtmf?.payload ?? null,
      direction,
      rejected,
      remote.index,
    );
    return {
      sdp,
      media: {
        remoteAddress: remote.address,
        remotePort: remote.port,
        codec: codec.name as AudioCodec,
        payloadType: codec.payload,
        dtmfPayloadType: dtmf?.payload ?? null,
        ptime: PTIME_MS,
        direction,
      },
    };
  }

  private render(
    formats: { payload: number; name: string }[],
    dtmfPayload: number | null,
    direction: MediaDirection,
    others: (MediaDescription | null)[] | null,
    audioIndex = 0,
  ): string {
    const ipVer = this.address.includes(':') ? 6 : 4;
    const rtp: MediaDescription['rtp'] = formats.map((format) => ({
      payload: format.payload,
      codec: format.name,
      rate: 8000,
    }));
    const fmtp: MediaDescription['fmtp'] = [];
    const payloads = formats.map((format) => format.payload);
    if (dtmfPayload !== null) {
      rtp.push({ payload: dtmfPayload, codec: DTMF_EVENT, rate: 8000 });
      fmtp.push({ payload: dtmfPayload, config: '0-16' });
      payloads.push(dtmfPayload);
    }
    const audio: MediaDescription = {
      type: 'audio',
      port: this.port,
      protocol: 'RTP/AVP',
      payloads: payloads.join(' '),
      rtp,
      fmtp,
      ptime: PTIME_MS,
      direction,
    };
    // An answer keeps the offer's m= lines in order; streams we do not take are refused with port 0.
    const media = (others ?? [null]).map((other, index) => {
      if (index === audioIndex || !other) return audio;
      return {
        type: other.type,
        port: 0,
        protocol: other.protocol,
        payloads: other.payloads ?? '0',
        rtp: [],
        fmtp: [],
      } satisfies MediaDescription;
    });
    const body = write({
      version: 0,
      origin: {
        username: 'zhike',
        sessionId: this.sessionId,
        sessionVersion: 0,
        netType: 'IN',
        ipVer,
        address: this.address,
      },
      name: 'zhike',
      connection: { version: ipVer, ip: this.address },
      timing: { start: 0, stop: 0 },
      media,
    });
    if (body !== this.lastBody) {
      if (this.lastBody !== null) this.version += 1;
      this.lastBody = body;
    }
    // The version is written after the comparison so an unchanged description keeps its number.
    return body.replace(/^o=(\S+) (\S+) 0 /m, `o=$1 $2 ${this.version} `);
  }
}
