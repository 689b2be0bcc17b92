// The answering side of a call (UAS, RFC 3261 §13.3): 100 Trying, 180 Ringing, then 200 OK with our
// SDP answer (or offer, when the INVITE had none) retransmitted until the ACK, or an error, or 487 on CANCEL.
import { type NegotiatedMedia, SdpNegotiationError, SdpSession } from '../sdp/offerAnswer.ts';
import {
  createResponse,
  formatUri,
  getFrom,
  getHeader,
  getTo,
  getTopVia,
  type NameAddr,
  newTag,
  type SipRequest,
} from '../sip/index.ts';
import type { CallParty } from '../types.ts';
import { Dialog, DialogError } from './dialog.ts';
import type { CallMediaFactory, RtpReservation, ServerRequest, SipDestination } from './ports.ts';
import { ALLOW, SipCall, type SipCallDeps } from './sipCall.ts';

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** How a SIP address reads as a party: the URI, the phone number when the user part is one. */
export function partyOf(addr: NameAddr): CallParty {
  const party: CallParty = { uri: formatUri(addr.uri) };
  const user = addr.uri.user ? safeDecode(addr.uri.user).replace(/[\s\-.()]/g, '') : '';
  if (/^\+?[0-9]{3,20}$/.test(user)) party.phone = user;
  if (addr.displayName) party.displayName = addr.displayName;
  return party;
}

/** How an inbound call reached us: which registration (if any), which number, from where. */
export interface CallArrival {
  /** The account whose registrar sent the INVITE; null for trunk calls. */
  accountId: string | null;
  /** The dialled user part of the Request-URI (number or extension). */
  dialled: string;
  source: SipDestination;
}

export class InboundSipCall extends SipCall {
  readonly direction = 'inbound' as const;
  readonly arrival: CallArrival;
  private answering: Promise<void> | null = null;

  private constructor(
    deps: SipCallDeps,
    private readonly invite: ServerRequest,
    dialog: Dialog,
    sdp: SdpSession,
    reservation: RtpReservation,
    /** Our answer to the INVITE's offer, or null when the INVITE had no SDP (we offer in the 200). */
    private readonly prepared: { sdp: string; media: NegotiatedMedia } | null,
    accountId: string | null,
  ) {
    const request = invite.request;
    super(
      deps,
      dialog.callId,
      partyOf(getFrom(request)),
      partyOf(getTo(request)),
      sdp,
      reservation,
      'ringing',
    );
    this.dialog = dialog;
    const dialled = request.uri.user ?? getTo(request).uri.user ?? '';
    this.arrival = { accountId, dialled: safeDecode(dialled), source: invite.source };
  }

  /**
   * Takes a new INVITE: 100 Trying, an RTP port, the offer checked, 180 Ringing. Returns null when it was
   * refused on the spot (400 broken dialog, 415/488 unusable SDP, 503 no RTP port).
   */
  static async receive(
    deps: SipCallDeps & { media: CallMediaFactory },
    invite: ServerRequest,
    accountId: string | null = null,
  ): Promise<InboundSipCall | null> {
    const request = invite.request;
    const refuse = (status: number, detail: string): null => {
      deps.trace.add({ stage: 'sip', name: `${status} sent`, detail: { cseq: 'INVITE', reason: detail } });
      invite.respond(createResponse(request, status, undefined, { toTag: newTag() }));
      return null;
    };
    deps.trace.add({ stage: 'sip', name: 'INVITE received', detail: { sdp: request.body.length > 0 } });
    invite.respond(createResponse(request, 100));
    let dialog: Dialog;
    try {
      dialog = Dialog.fromInvite(request, newTag());
    } catch (error) {
      if (error instanceof DialogError) return refuse(error.statusCode, error.message);
      throw error;
    }
    let reservation: RtpReservation;
    try {
      reservation = await deps.media.reserve();
    } catch (error) {
      return refuse(503, `no RTP port: ${(error as Error).message}`);
    }
    const sdp = new SdpSession({
      address: deps.mediaAddress,
      port: reservation.port,
      ...(deps.codecs ? { codecs: deps.codecs } : {}),
    });
    let prepared: { sdp: string; media: NegotiatedMedia } | null = null;
    if (request.body.length > 0) {
      const type = (getHeader(request, 'Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/sdp') {
        reservation.release();
        return refuse(415, `unsupported body ${type}`);
      }
      try {
        prepared = sdp.answerOffer(request.body.toString('utf8'));
      } catch (error) {
        reservation.release();
        if (error instanceof SdpNegotiationError) return refuse(error.statusCode, error.message);
        throw error;
      }
    }
    const call = new InboundSipCall(deps, invite, dialog, sdp, reservation, prepared, accountId);
    call.respond(invite, 180, [{ name: 'Contact', value: call.contact() }]);
    return call;
  }

  /** The INVITE's top Via branch: a CANCEL for this call carries the same one (§9.2). */
  get inviteBranch(): string {
    return String(getTopVia(this.invite.request).params.branch ?? '');
  }

  /** Answers with 200 OK; resolves when the caller's ACK arrives (the call is then 'active'). */
  answer(): Promise<void> {
    if (this.answering) return this.answering;
    if (this.state !== 'ringing')
      return Promise.reject(new Error(`cannot answer a call in state ${this.state}`));
    const body = this.prepared ? this.prepared.sdp : this.sdp.createOffer();
    if (this.prepared) this.startMedia(this.prepared.media);
    const response = createResponse(this.invite.request, 200, undefined, {
      toTag: this.dialog!.localTag,
      headers: [
        { name: 'Contact', value: this.contact() },
        { name: 'Allow', value: ALLOW },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      body: Buffer.from(body),
    });
    this.setState('connecting');
    const answered = this.waitForAnswer();
    this.sendUntilAcked(this.invite, response, (ack) => this.confirm(ack));
    this.answering = answered;
    return answered;
  }

  /** Refuses the call with a final error status (486 Busy Here by default, 603 Decline, 480…). */
  reject(status = 486): void {
    if (this.state !== 'ringing') throw new Error(`cannot reject a call in state ${this.state}`);
    if (!Number.isInteger(status) || status < 300 || status > 699)
      throw new RangeError(`bad reject status ${status}`);
    this.respond(this.invite, status);
    this.end({ cause: 'rejected', status });
  }

  protected override hangupBeforeAnswer(): void {
    if (this.state === 'ringing') this.reject(480);
  }

  protected override onPeerBye(): void {
    // A BYE on the early dialog (some UAs send it instead of CANCEL): the INVITE still needs its answer.
    if (this.state === 'ringing') this.respond(this.invite, 487);
  }

  protected override onCancel(cancel: ServerRequest): void {
    this.respond(cancel, 200);
    if (this.state !== 'ringing') return;
    this.respond(this.invite, 487);
    this.end({ cause: 'cancelled', status: 487 });
  }

  private confirm(ack: SipRequest): void {
    if (!this.prepared) {
      const text = ack.body.length > 0 ? ack.body.toString('utf8') : null;
      try {
        if (text === null) throw new SdpNegotiationError('the ACK carried no SDP answer', 488);
        this.startMedia(this.sdp.acceptAnswer(text));
      } catch (error) {
        void this.sendBye();
        this.end({ cause: 'failed', detail: (error as Error).message });
        return;
      }
    }
    this.setState('active');
    this.trace.add({ stage: 'sip', name: 'call.answered' });
    this.emitter.emit('answered', undefined);
  }
}
