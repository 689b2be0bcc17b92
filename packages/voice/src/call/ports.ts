// What call control needs from the layers around it: the SIP transaction/transport layer (sending requests
// and responses, where we are reachable) and the media layer (an RTP port before the SDP, a leg after it).
// The user agent adapts the real sip/ and rtp/ parts to these; the state machine tests use fakes.
import type { NegotiatedMedia } from '../sdp/offerAnswer.ts';
import type { SipHeader, SipRequest, SipResponse } from '../sip/index.ts';
import type { MediaLeg } from '../types.ts';

export type SignallingTransport = 'UDP' | 'TCP';

/** Where a message goes (the next hop: first Route or the remote target, §8.1.2). */
export interface SipDestination {
  transport: SignallingTransport;
  host: string;
  port: number;
}

/** How we appear in Via and Contact on one transport: the public (NAT) address when configured. */
export interface LocalSipAddress {
  transport: SignallingTransport;
  host: string;
  port: number;
}

/** A request in flight in a client transaction (§17.1). */
export interface ClientRequest {
  /** Every response, provisional and final; a transaction timeout arrives as a local 408, a transport
   * failure as a local 503 (§8.1.3.1). 2xx retransmissions to an INVITE keep arriving here. */
  onResponse(listener: (response: SipResponse) => void): void;
}

/** A request received in a server transaction (§17.2), answered through it. */
export interface ServerRequest {
  readonly request: SipRequest;
  /** Where it came from (the trunk allowlist and the registrar check read this). */
  readonly source: SipDestination;
  /**
   * Sends a response. For an INVITE a 2xx may be sent again (our §13.3.1.4 retransmissions go
   * through here once the transaction is gone); non-2xx finals are retransmitted by the transaction.
   */
  respond(response: SipResponse): void;
}

export interface CallSignalling {
  /** Our Via/Contact address on the transport that reaches `destination`. */
  localAddress(transport: SignallingTransport): LocalSipAddress;
  /** Sends a request (not ACK) in a new client transaction keyed by its top Via branch. */
  sendRequest(request: SipRequest, destination: SipDestination): ClientRequest;
  /** Sends an ACK to a 2xx: end to end, outside any transaction (§13.2.2.4, §17.1.1.3). */
  sendAck(ack: SipRequest, destination: SipDestination): void;
}

/** A local RTP port held for a call from the SDP exchange until the call ends. */
export interface RtpReservation {
  readonly port: number;
  /** Starts media to the negotiated peer; called once, when the first answer is known. */
  start(media: NegotiatedMedia): MediaLeg;
  /** Re-targets the running leg after a re-INVITE changed the peer's address, port or codec. */
  update(media: NegotiatedMedia): void;
  /** Gives the port back (the leg, when started, is closed by the call first). */
  release(): void;
}

export interface CallMediaFactory {
  /** Reserves a port; rejects when the RTP range is exhausted (the call is refused with 503). */
  reserve(): Promise<RtpReservation>;
}

/** Answers a 401/407 to `request` with an Authorization/Proxy-Authorization header, or null (no creds). */
export type ChallengeResponder = (request: SipRequest, challenge: SipResponse) => SipHeader | null;

/** RFC 3261 timer base values (§17.1.1.1); tests shorten them. */
export interface SipTimers {
  t1: number;
  t2: number;
}

export const DEFAULT_SIP_TIMERS: Readonly<SipTimers> = Object.freeze({ t1: 500, t2: 4000 });
