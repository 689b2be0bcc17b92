// One SIP call once it has (or is forming) a dialog: in-dialog requests both ways (BYE, re-INVITE for
// hold/resume, ACK, OPTIONS), 2xx retransmission until ACK (§13.3.1.4), media lifetime and the trace.
// InboundSipCall and OutboundSipCall add how the call is set up on each side.
import {
  type MediaDirection,
  type NegotiatedMedia,
  SdpNegotiationError,
  type SdpSession,
} from '../sdp/offerAnswer.ts';
import {
  createResponse,
  getCSeq,
  getHeader,
  type SipHeader,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../sip/index.ts';
import type { AudioCodec, CallParty, CallTrace, MediaLeg, Unsubscribe, VoiceClock } from '../types.ts';
import {
  CallEmitter,
  type CallEnded,
  type HoldState,
  type SipCallEvents,
  type SipCallState,
} from './callEvents.ts';
import { contactValue, type Dialog, DialogError } from './dialog.ts';
import { ALLOW, sendInDialog, traceSipMessage } from './inDialog.ts';
import {
  type CallSignalling,
  type ChallengeResponder,
  DEFAULT_SIP_TIMERS,
  type RtpReservation,
  type ServerRequest,
  type SipTimers,
} from './ports.ts';

export interface SipCallDeps {
  signalling: CallSignalling;
  clock: VoiceClock;
  trace: CallTrace;
  timers?: SipTimers;
  /** The address our SDP advertises: the public (NAT) address when configured, else the local one. */
  mediaAddress: string;
  codecs?: readonly AudioCodec[];
  /** User part of our Contact URI. */
  contactUser: string;
  /** Credentials for challenges to our in-dialog requests (a PBX may challenge BYE or re-INVITE). */
  authenticate?: ChallengeResponder;
  /** Listener errors and unexpected failures: logged by the owner, never thrown into SIP handling. */
  onError?: (error: unknown) => void;
}

export { ALLOW };

function sends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

function sdpBody(message: SipMessage): string | null {
  if (message.body.length === 0) return null;
  const type = (getHeader(message, 'Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/sdp') throw new SdpNegotiationError(`body of type "${type}" is not SDP`, 488);
  return message.body.toString('utf8');
}

interface AckWait {
  cseq: number;
  cancel(): void;
  onAck(ack: SipRequest): void;
}

export abstract class SipCall {
  abstract readonly direction: 'inbound' | 'outbound';
  readonly startedAt: Date;
  protected readonly emitter: CallEmitter;
  protected readonly timers: SipTimers;
  protected dialog: Dialog | null = null;
  protected leg: MediaLeg | null = null;
  protected negotiated: NegotiatedMedia | null = null;
  protected currentState: SipCallState;
  private endedWith: CallEnded | null = null;
  private readonly endedPromise: Promise<CallEnded>;
  private resolveEnded!: (ended: CallEnded) => void;
  private ackWait: AckWait | null = null;
  private ourReinvite = false;
  private localHold = false;
  private remoteHold = false;

  protected constructor(
    protected readonly deps: SipCallDeps,
    readonly id: string,
    readonly from: CallParty,
    readonly to: CallParty,
    protected readonly sdp: SdpSession,
    protected readonly reservation: RtpReservation,
    initialState: SipCallState,
  ) {
    this.timers = deps.timers ?? DEFAULT_SIP_TIMERS;
    this.startedAt = new Date(deps.clock.now());
    this.currentState = initialState;
    this.emitter = new CallEmitter((error) => this.deps.onError?.(error));
    this.endedPromise = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  get state(): SipCallState {
    return this.currentState;
  }

  /** The call's audio once answered (null before, and after it ended). */
  get media(): MediaLeg | null {
    return this.leg;
  }

  get trace(): CallTrace {
    return this.deps.trace;
  }

  get holdState(): HoldState {
    return { local: this.localHold, remote: this.remoteHold };
  }

  /** Resolves once, with why the call ended. */
  get ended(): Promise<CallEnded> {
    return this.endedPromise;
  }

  on<E extends keyof SipCallEvents>(event: E, listener: (value: SipCallEvents[E]) => void): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /** Resolves when the call is answered, rejects (with the CallEnded) when it ends first. */
  waitForAnswer(): Promise<void> {
    if (this.currentState === 'active') return Promise.resolve();
    if (this.endedWith) return Promise.reject(this.endedWith);
    return new Promise((resolve, reject) => {
      const offAnswered = this.on('answered', () => {
        offEnded();
        resolve();
      });
      const offEnded = this.on('ended', (ended) => {
        offAnswered();
        reject(ended);
      });
    });
  }

  /** Ends the call from our side: BYE when connected; the subclasses handle calls not yet answered. */
  async hangup(): Promise<void> {
    if (this.currentState === 'ended') return;
    if (!this.dialog || (this.currentState !== 'active' && this.currentState !== 'connecting')) {
      this.hangupBeforeAnswer();
      return;
    }
    const bye = this.sendBye();
    this.end({ cause: 'local-hangup' });
    await bye;
  }

  /** Puts the peer on hold (re-INVITE with a=sendonly; we send silence while held). */
  hold(): Promise<void> {
    return this.reinvite(true);
  }

  resume(): Promise<void> {
    return this.reinvite(false);
  }

  /** A request the user agent matched to this call's dialog (or, for CANCEL, to its INVITE). */
  handleRequest(incoming: ServerRequest): void {
    const { request } = incoming;
    this.traceMessage('received', request);
    try {
      if (request.method === 'ACK') {
        this.onAck(request);
        return;
      }
      if (request.method === 'CANCEL') {
        this.onCancel(incoming);
        return;
      }
      if (!this.dialog || this.currentState === 'ended') {
        this.respond(incoming, 481);
        return;
      }
      this.dialog.acceptRequest(request);
      if (request.method === 'BYE') {
        this.respond(incoming, 200);
        this.onPeerBye();
        this.ackWait?.cancel();
        this.end({ cause: 'remote-hangup' });
      } else if (request.method === 'INVITE') this.onReinvite(incoming);
      else if (request.method === 'OPTIONS' || request.method === 'INFO') this.respond(incoming, 200);
      else this.respond(incoming, 501, [{ name: 'Allow', value: ALLOW }]);
    } catch (error) {
      if (error instanceof DialogError) this.respond(incoming, error.statusCode);
      else {
        this.deps.onError?.(error);
        if (request.method !== 'ACK') this.respond(incoming, 500);
      }
    }
  }

  protected abstract hangupBeforeAnswer(): void;

  /** The peer sent BYE: a side that still owes a final response gives it here. */
  protected onPeerBye(): void {}

  protected onCancel(incoming: ServerRequest): void {
    // Nothing left to cancel once a final response went out (§9.2): the CANCEL itself still gets 200.
    this.respond(incoming, 200);
  }

  protected respond(
    incoming: ServerRequest,
    status: number,
    headers: SipHeader[] = [],
    body?: Buffer,
  ): SipResponse {
    const response = createResponse(incoming.request, status, undefined, {
      ...(this.dialog ? { toTag: this.dialog.localTag } : {}),
      headers,
      ...(body ? { body } : {}),
    });
    this.sendResponse(incoming, response);
    return response;
  }

  protected sendResponse(incoming: ServerRequest, response: SipResponse): void {
    this.traceMessage('sent', response);
    incoming.respond(response);
  }

  protected contact(): string {
    const transport = this.dialog?.nextHop().transport ?? 'UDP';
    return contactValue(this.deps.signalling.localAddress(transport), this.deps.contactUser);
  }

  /** Sends our 2xx to an INVITE and again at T1, 2·T1… (capped at T2) until its ACK, for 64·T1. */
  protected sendUntilAcked(
    incoming: ServerRequest,
    response: SipResponse,
    onAck: (ack: SipRequest) => void,
  ): void {
    this.sendResponse(incoming, response);
    const cseq = getCSeq(incoming.request).seq;
    let interval = this.timers.t1;
    let elapsed = 0;
    let timer = this.deps.clock.setTimeout(tick, interval);
    const wait: AckWait = { cseq, cancel: () => timer.cancel(), onAck };
    this.ackWait = wait;
    const call = this;
    function tick(): void {
      elapsed += interval;
      if (call.ackWait !== wait) return;
      if (elapsed >= 64 * call.timers.t1) {
        call.ackWait = null;
        call.deps.trace.add({ stage: 'sip', name: 'ACK timeout', detail: { cseq } });
        void call.sendBye();
        call.end({ cause: 'no-ack', status: response.status });
        return;
      }
      incoming.respond(response);
      // The last wait is cut short so that giving up happens at 64·T1 exactly.
      interval = Math.min(interval * 2, call.timers.t2, 64 * call.timers.t1 - elapsed);
      timer = call.deps.clock.setTimeout(tick, interval);
    }
  }

  private onAck(ack: SipRequest): void {
    const wait = this.ackWait;
    if (!wait || getCSeq(ack).seq !== wait.cseq) return; // a retransmitted ACK or one for a non-2xx
    wait.cancel();
    this.ackWait = null;
    try {
      wait.onAck(ack);
    } catch (error) {
      this.deps.onError?.(error);
    }
  }

  /** Starts RTP once the first answer is known and ties the call's end to the leg's. */
  protected startMedia(media: NegotiatedMedia): void {
    this.negotiated = media;
    const leg = this.reservation.start(media);
    this.leg = leg;
    this.deps.trace.add({
      stage: 'media',
      name: 'rtp.started',
      detail: {
        codec: media.codec,
        remote: `${media.remoteAddress}:${media.remotePort}`,
        local: this.reservation.port,
      },
    });
    this.applyDirection(media.direction);
    void leg.closed.then(() => {
      if (this.currentState === 'ended') return;
      void this.sendBye();
      this.end({ cause: 'media-ended' });
    });
  }

  /** After a re-negotiation: re-target RTP (address, codec, direction), mute per direction, report hold. */
  protected updateMedia(media: NegotiatedMedia): void {
    this.negotiated = media;
    if (!this.leg) {
      this.startMedia(media);
      return;
    }
    this.reservation.update(media);
    this.applyDirection(media.direction);
  }

  private applyDirection(direction: MediaDirection): void {
    const remote = !sends(direction);
    this.leg?.setMuted(this.localHold || remote);
    if (remote !== this.remoteHold) {
      this.remoteHold = remote;
      this.deps.trace.add({
        stage: 'sip',
        name: remote ? 'held by peer' : 'resumed by peer',
        detail: { direction },
      });
      this.emitter.emit('hold', this.holdState);
    }
  }

  private onReinvite(incoming: ServerRequest): void {
    // §14.2: a re-INVITE while ours is pending is glare (491); while one of theirs awaits ACK, 500.
    if (this.ourReinvite) {
      this.respond(incoming, 491);
      return;
    }
    if (this.ackWait) {
      this.respond(incoming, 500, [
        { name: 'Retry-After', value: String(1 + Math.floor(Math.random() * 5)) },
      ]);
      return;
    }
    const wanted: MediaDirection = this.localHold ? 'sendonly' : 'sendrecv';
    let offer: string | null;
    let answer: { sdp: string; media: NegotiatedMedia } | null = null;
    try {
      offer = sdpBody(incoming.request);
      if (offer !== null) answer = this.sdp.answerOffer(offer, wanted);
    } catch (error) {
      // A refused re-offer leaves the session as it was (§14.2).
      this.respond(incoming, error instanceof SdpNegotiationError ? error.statusCode : 500);
      return;
    }
    const body = Buffer.from(answer ? answer.sdp : this.sdp.createOffer(wanted));
    const response = createResponse(incoming.request, 200, undefined, {
      toTag: this.dialog!.localTag,
      headers: [
        { name: 'Contact', value: this.contact() },
        { name: 'Allow', value: ALLOW },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      body,
    });
    if (answer) this.updateMedia(answer.media);
    this.sendUntilAcked(incoming, response, (ack) => {
      if (answer) return;
      const late = sdpBody(ack);
      if (late !== null) this.updateMedia(this.sdp.acceptAnswer(late));
    });
  }

  private async reinvite(hold: boolean): Promise<void> {
    if (this.currentState !== 'active' || !this.dialog)
      throw new Error(`cannot change hold in state ${this.currentState}`);
    if (this.ourReinvite || this.ackWait) throw new Error('another offer/answer exchange is in progress');
    this.ourReinvite = true;
    const previous = this.localHold;
    this.localHold = hold;
    try {
      const offer = this.sdp.createOffer(hold ? 'sendonly' : 'sendrecv');
      const { response } = await this.requestInDialog('INVITE', Buffer.from(offer));
      if (response.status >= 300) {
        this.localHold = previous;
        // §12.2.1.2: 481 and 408 mean the dialog is gone.
        if (response.status === 481 || response.status === 408)
          this.end({ cause: 'failed', status: response.status });
        throw new Error(`re-INVITE refused: ${response.status} ${response.reason}`);
      }
      this.dialog?.refreshFromResponse(response);
      const answer = sdpBody(response);
      if (answer === null) throw new Error('re-INVITE answered without SDP');
      this.updateMedia(this.sdp.acceptAnswer(answer));
      this.leg?.setMuted(this.localHold || this.remoteHold);
      this.deps.trace.add({ stage: 'sip', name: hold ? 'held' : 'resumed' });
      this.emitter.emit('hold', this.holdState);
    } finally {
      this.ourReinvite = false;
    }
  }

  /** Sends a request in the dialog; resolves with its final response (see sendInDialog). */
  protected requestInDialog(
    method: string,
    body?: Buffer,
  ): Promise<{ request: SipRequest; response: SipResponse }> {
    if (!this.dialog) return Promise.reject(new Error(`${method} needs a dialog`));
    return sendInDialog(
      {
        dialog: this.dialog,
        signalling: this.deps.signalling,
        trace: this.deps.trace,
        contact: this.contact(),
        ...(this.deps.authenticate ? { authenticate: this.deps.authenticate } : {}),
      },
      method,
      body,
    );
  }

  /** BYE for a confirmed dialog; resolves when it is answered or its transaction timed out. */
  protected async sendBye(): Promise<void> {
    if (!this.dialog) return;
    try {
      await this.requestInDialog('BYE');
    } catch (error) {
      this.deps.onError?.(error);
    }
  }

  /** Ends the call once: timers stopped, RTP closed, port released, 'ended' emitted. */
  protected end(ended: CallEnded): void {
    if (this.currentState === 'ended') return;
    this.currentState = 'ended';
    this.endedWith = ended;
    this.ackWait?.cancel();
    this.ackWait = null;
    this.leg?.close();
    this.leg = null;
    this.reservation.release();
    this.deps.trace.add({
      stage: 'sip',
      name: 'call.ended',
      detail: { cause: ended.cause, status: ended.status ?? null, detail: ended.detail ?? null },
    });
    this.resolveEnded(ended);
    this.emitter.emit('ended', ended);
  }

  protected setState(state: SipCallState): void {
    if (this.currentState === 'ended') return;
    this.currentState = state;
  }

  protected traceMessage(direction: 'sent' | 'received', message: SipMessage): void {
    traceSipMessage(this.deps.trace, direction, message);
  }
}
