// The calling side of a call (UAC, RFC 3261 §13.2): INVITE with our offer, digest retry on 401/407,
// provisional responses, ACK for every 2xx, CANCEL when we give up while it rings, failures mapped to causes.
import { SdpNegotiationError, SdpSession } from '../sdp/offerAnswer.ts';
import {
  createRequest,
  formatNameAddr,
  formatUri,
  getCSeq,
  getTo,
  type NameAddr,
  newBranch,
  newCallId,
  newTag,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  type SipUri,
} from '../sip/index.ts';
import { type CallEndCause, causeOfFailure } from './callEvents.ts';
import { contactValue, Dialog, destinationOf, viaValue } from './dialog.ts';
import { partyOf } from './inboundCall.ts';
import type { CallMediaFactory, ChallengeResponder, SipDestination } from './ports.ts';
import { ALLOW, SipCall, type SipCallDeps } from './sipCall.ts';

export interface DialOptions {
  /** Who we call (the Request-URI and To). */
  target: SipUri;
  /** Who we are (From, without tag): the account's address of record, or the trunk identity. */
  from: NameAddr;
  /** Send through this proxy (outbound proxy or the registrar) as a loose route. */
  proxy?: SipUri;
  /** Answers 401/407 (the account's digest credentials). */
  authenticate?: ChallengeResponder;
  /** Gives up (CANCEL, cause 'no-answer') when nobody answers within this time. Default 60 s. */
  ringTimeoutMs?: number;
  headers?: SipHeader[];
}

export class OutboundSipCall extends SipCall {
  readonly direction = 'outbound' as const;
  private invite: SipRequest;
  private destination: SipDestination;
  private provisional = false;
  private cancelAs: CallEndCause | null = null;
  private cancelSent = false;
  private challenged = false;
  private ringTimer: { cancel(): void } | null = null;

  private constructor(
    deps: SipCallDeps,
    private readonly options: DialOptions,
    sdp: SdpSession,
    reservation: Awaited<ReturnType<CallMediaFactory['reserve']>>,
  ) {
    const callId = newCallId();
    super(
      deps,
      callId,
      partyOf(options.from),
      partyOf({ uri: options.target, params: {} }),
      sdp,
      reservation,
      'dialing',
    );
    this.destination = destinationOf(options.proxy ?? options.target);
    this.invite = this.buildInvite(1, []);
  }

  /** Reserves an RTP port, sends the INVITE and returns the call in 'dialing'; watch its events. */
  static async dial(
    deps: SipCallDeps & { media: CallMediaFactory },
    options: DialOptions,
  ): Promise<OutboundSipCall> {
    const reservation = await deps.media.reserve();
    const sdp = new SdpSession({
      address: deps.mediaAddress,
      port: reservation.port,
      ...(deps.codecs ? { codecs: deps.codecs } : {}),
    });
    const call = new OutboundSipCall(
      { ...deps, ...(options.authenticate ? { authenticate: options.authenticate } : {}) },
      options,
      sdp,
      reservation,
    );
    call.send(call.invite);
    call.ringTimer = deps.clock.setTimeout(() => call.giveUp('no-answer'), options.ringTimeoutMs ?? 60_000);
    return call;
  }

  protected override hangupBeforeAnswer(): void {
    this.giveUp('cancelled');
  }

  private buildInvite(cseq: number, extra: SipHeader[]): SipRequest {
    const local = this.deps.signalling.localAddress(this.destination.transport);
    const fromTag = this.invite ? String(this.invite.headers.find((h) => h.name === 'From')!.value) : null;
    const headers: SipHeader[] = [
      { name: 'Via', value: viaValue(local, newBranch()) },
      { name: 'Max-Forwards', value: '70' },
      {
        name: 'From',
        value:
          fromTag ??
          formatNameAddr({ ...this.options.from, params: { ...this.options.from.params, tag: newTag() } }),
      },
      { name: 'To', value: `<${formatUri(this.options.target)}>` },
      { name: 'Call-ID', value: this.id },
      { name: 'CSeq', value: `${cseq} INVITE` },
      { name: 'Contact', value: contactValue(local, this.deps.contactUser) },
      { name: 'Allow', value: ALLOW },
      { name: 'Content-Type', value: 'application/sdp' },
    ];
    if (this.options.proxy) {
      headers.push({
        name: 'Route',
        value: `<${formatUri({ ...this.options.proxy, params: { ...this.options.proxy.params, lr: null } })}>`,
      });
    }
    headers.push(...(this.options.headers ?? []), ...extra);
    const body = Buffer.from(this.sdp.createOffer());
    return createRequest({ method: 'INVITE', uri: this.options.target, headers, body });
  }

  private send(invite: SipRequest): void {
    this.traceMessage('sent', invite);
    this.deps.signalling.sendRequest(invite, this.destination).onResponse((response) => {
      this.traceMessage('received', response);
      // Responses to an INVITE we replaced with an authenticated one no longer matter (except a 2xx).
      if (invite !== this.invite && (response.status < 200 || response.status >= 300)) return;
      this.onResponse(invite, response);
    });
  }

  private onResponse(invite: SipRequest, response: SipResponse): void {
    const status = response.status;
    if (status < 200) {
      if (status > 100) this.provisional = true;
      if (this.cancelAs) this.sendCancel();
      else if ((status === 180 || status === 183) && this.state === 'dialing') {
        this.setState('alerting');
        this.trace.add({ stage: 'sip', name: 'call.ringing' });
        this.emitter.emit('ringing', undefined);
      }
      return;
    }
    if (status < 300) {
      this.onSuccess(invite, response);
      return;
    }
    this.ringTimer?.cancel();
    if ((status === 401 || status === 407) && !this.challenged && this.state !== 'ended') {
      const authorization = this.deps.authenticate?.(invite, response);
      if (authorization) {
        this.challenged = true;
        this.invite = this.buildInvite(getCSeq(invite).seq + 1, [authorization]);
        this.send(this.invite);
        return;
      }
    }
    const cause = this.cancelAs && status === 487 ? this.cancelAs : causeOfFailure(status);
    this.end({ cause, status, detail: `${status} ${response.reason}` });
  }

  private onSuccess(invite: SipRequest, response: SipResponse): void {
    this.ringTimer?.cancel();
    let dialog: Dialog;
    try {
      dialog =
        this.dialog && this.dialog.remoteTag === getTo(response).params.tag
          ? this.dialog
          : Dialog.fromResponse(invite, response);
    } catch (error) {
      this.deps.onError?.(error);
      return;
    }
    const destination = dialog.nextHop();
    const ack = dialog.createRequest('ACK', {
      local: this.deps.signalling.localAddress(destination.transport),
      cseq: getCSeq(invite).seq,
    });
    this.traceMessage('sent', ack);
    this.deps.signalling.sendAck(ack, destination);
    if (dialog === this.dialog) return; // a retransmitted 2xx: ACKed again, nothing else changes
    if (this.dialog || this.state === 'ended') {
      // A second fork answered, or we already gave up: confirm it and hang it up at once (§13.2.2.4).
      void this.byeOn(dialog);
      return;
    }
    this.dialog = dialog;
    try {
      const text = response.body.length > 0 ? response.body.toString('utf8') : null;
      if (text === null) throw new SdpNegotiationError('the 2xx carried no SDP answer', 488);
      this.startMedia(this.sdp.acceptAnswer(text));
    } catch (error) {
      void this.sendBye();
      this.end({ cause: 'failed', status: 488, detail: (error as Error).message });
      return;
    }
    this.setState('active');
    this.trace.add({ stage: 'sip', name: 'call.answered' });
    this.emitter.emit('answered', undefined);
  }

  /** Stops trying: CANCEL once something rang back (§9.1 forbids it earlier), and end the call now. */
  private giveUp(cause: CallEndCause): void {
    if (this.state !== 'dialing' && this.state !== 'alerting') return;
    this.ringTimer?.cancel();
    this.cancelAs = cause;
    if (this.provisional) this.sendCancel();
    this.end({ cause });
  }

  private sendCancel(): void {
    if (this.cancelSent) return;
    this.cancelSent = true;
    const invite = this.invite;
    const copied = new Set(['Via', 'From', 'To', 'Call-ID', 'Route', 'Max-Forwards']);
    const headers = invite.headers.filter((h) => copied.has(h.name));
    headers.push({ name: 'CSeq', value: `${getCSeq(invite).seq} CANCEL` });
    const cancel = createRequest({ method: 'CANCEL', uri: invite.uri, headers });
    this.traceMessage('sent', cancel);
    this.deps.signalling.sendRequest(cancel, this.destination).onResponse((response) => {
      this.traceMessage('received', response);
    });
  }

  private async byeOn(dialog: Dialog): Promise<void> {
    const destination = dialog.nextHop();
    const bye = dialog.createRequest('BYE', {
      local: this.deps.signalling.localAddress(destination.transport),
    });
    this.traceMessage('sent', bye);
    this.deps.signalling
      .sendRequest(bye, destination)
      .onResponse((response) => this.traceMessage('received', response));
  }
}
