// The SIP user agent: registers the accounts, decides which INVITEs it takes (registrars it registered
// with, allowed trunk sources, the users it answers), hands requests to their calls, places outbound
// calls, answers OPTIONS, and stops gracefully (BYE, unregister, close).
import {
  createResponse,
  getCallId,
  getTo,
  getTopVia,
  type NameAddr,
  parseNameAddr,
  parseUri,
  type SipHeader,
  type SipUri,
} from '../sip/index.ts';
import type { AudioCodec, CallTrace, Unsubscribe, VoiceClock } from '../types.ts';
import { InboundSipCall } from './inboundCall.ts';
import { OutboundSipCall } from './outboundCall.ts';
import type {
  CallMediaFactory,
  CallSignalling,
  ChallengeResponder,
  ServerRequest,
  SipTimers,
} from './ports.ts';
import { ALLOW, type SipCall } from './sipCall.ts';

/** An extension or trunk user we register at the merchant's PBX or SIP-trunk provider. */
export interface SipAccount {
  /** Stable id (the inbox's); calls placed through it and registration events name it. */
  id: string;
  /** Registrar URI, e.g. sip:pbx.example.com:5060 or sip:10.0.0.5;transport=tcp. */
  registrar: string;
  user: string;
  password: string;
  /** Digest user name when it differs from `user`. */
  authUser?: string;
  /** Domain of the address of record; the registrar's host by default. */
  domain?: string;
  /** Requested registration lifetime in seconds. */
  expires?: number;
  /** Where outbound calls go (loose route); the registrar by default. */
  outboundProxy?: string;
}

/** The registration side as the user agent uses it (sip/registration.ts behind it). */
export interface AccountRegistration {
  readonly account: SipAccount;
  /** Addresses the registrar resolves to: INVITEs from them are accepted. */
  sourceHosts(): readonly string[];
  /** Digest answers with the account's credentials. */
  readonly authenticate: ChallengeResponder;
  /** Removes the binding (REGISTER with Expires: 0) and stops refreshing. */
  stop(): Promise<void>;
}

/** The SIP stack below call control: transactions over UDP and TCP on one port. */
export interface UserAgentStack extends CallSignalling {
  /** Every new request (retransmissions are absorbed by the transactions) with its server transaction. */
  onRequest(handler: (incoming: ServerRequest) => void): Unsubscribe;
  close(): Promise<void>;
}

/** Which INVITEs that did not come from one of our registrars are taken. */
export interface AcceptancePolicy {
  /** Trunk allowlist: true when a source address may send calls without registration. */
  isTrunkSource(host: string): boolean;
  /** Request-URI users we answer (extension numbers, trunk DIDs); empty answers any user. */
  answerUsers: readonly string[];
}

export interface SipUserAgentOptions {
  stack: UserAgentStack;
  media: CallMediaFactory;
  clock: VoiceClock;
  /** A new trace per call. */
  createTrace(): CallTrace;
  /** Registrations already started for the configured accounts. */
  registrations: readonly AccountRegistration[];
  /** Trunk allowlist: true when a source address may send calls without registration. */
  isTrunkSource(host: string): boolean;
  /** Address written in SDP: the public (NAT) address when configured, else the local one. */
  mediaAddress: string;
  /** Request-URI users we answer (extension numbers, trunk DIDs); empty answers any user. */
  answerUsers?: readonly string[];
  /** User part of our Contact and, for trunk calls, of our From. */
  contactUser?: string;
  codecs?: readonly AudioCodec[];
  timers?: SipTimers;
  onError?: (error: unknown) => void;
}

export interface DialRequest {
  /** The account to call through (registrar/outbound proxy, digest); without it a direct/trunk call. */
  accountId?: string;
  /** Our identity for a call without an account, e.g. sip:4008001234@trunk.example. */
  from?: string;
  /** Route through this proxy when calling without an account. */
  proxy?: string;
  ringTimeoutMs?: number;
  headers?: SipHeader[];
}

export class SipUserAgent {
  private readonly calls = new Map<string, SipCall>();
  private readonly pending = new Set<string>();
  private readonly incomingListeners = new Set<(call: InboundSipCall) => void>();
  private readonly offRequests: Unsubscribe;
  private stopping = false;
  private registrations: readonly AccountRegistration[];
  private policy: AcceptancePolicy;

  constructor(private readonly options: SipUserAgentOptions) {
    this.registrations = options.registrations;
    this.policy = { isTrunkSource: options.isTrunkSource, answerUsers: options.answerUsers ?? [] };
    this.offRequests = options.stack.onRequest((incoming) => {
      try {
        this.route(incoming);
      } catch (error) {
        // One bad request must not disturb the others: answer 500 and keep serving.
        options.onError?.(error);
        if (incoming.request.method !== 'ACK') incoming.respond(createResponse(incoming.request, 500));
      }
    });
  }

  /**
   * Takes new registrations and acceptance rules (the inboxes changed). Registrations left out are not
   * stopped here: whoever started them unregisters them. Calls in progress are not touched.
   */
  reconfigure(next: { registrations?: readonly AccountRegistration[] } & Partial<AcceptancePolicy>): void {
    if (next.registrations) this.registrations = next.registrations;
    if (next.isTrunkSource) this.policy = { ...this.policy, isTrunkSource: next.isTrunkSource };
    if (next.answerUsers) this.policy = { ...this.policy, answerUsers: next.answerUsers };
  }

  /** Calls in progress (inbound and outbound). */
  activeCalls(): SipCall[] {
    return [...this.calls.values()];
  }

  /** A new inbound call ringing: answer() or reject() it. */
  onIncoming(listener: (call: InboundSipCall) => void): Unsubscribe {
    this.incomingListeners.add(listener);
    return () => this.incomingListeners.delete(listener);
  }

  /** Places a call; the returned call is 'dialing' — its events tell whether it was answered. */
  async dial(target: string, request: DialRequest = {}): Promise<OutboundSipCall> {
    if (this.stopping) throw new Error('the user agent is stopping');
    const targetUri = parseUri(target);
    const contactUser = this.options.contactUser ?? 'zhike';
    let from: NameAddr;
    let proxy: SipUri | undefined;
    let authenticate: ChallengeResponder | undefined;
    if (request.accountId !== undefined) {
      const registration = this.registrations.find((r) => r.account.id === request.accountId);
      if (!registration) throw new Error(`no SIP account ${request.accountId}`);
      const account = registration.account;
      const registrar = parseUri(account.registrar);
      from = parseNameAddr(`<sip:${account.user}@${account.domain ?? registrar.host}>`);
      proxy = parseUri(account.outboundProxy ?? account.registrar);
      authenticate = registration.authenticate;
    } else {
      from = parseNameAddr(
        request.from ? `<${request.from}>` : `<sip:${contactUser}@${this.options.mediaAddress}>`,
      );
      if (request.proxy) proxy = parseUri(request.proxy);
    }
    const call = await OutboundSipCall.dial(this.callDeps(authenticate), {
      target: targetUri,
      from,
      ...(proxy ? { proxy } : {}),
      ...(authenticate ? { authenticate } : {}),
      ...(request.ringTimeoutMs !== undefined ? { ringTimeoutMs: request.ringTimeoutMs } : {}),
      ...(request.headers ? { headers: request.headers } : {}),
    });
    this.track(call);
    return call;
  }

  /** Hangs up every call (BYE or CANCEL), unregisters the accounts and closes the sockets. */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // A peer that never answers our BYE or REGISTER would hold shutdown for 64·T1 (32 s) per step;
    // each step waits at most `graceMs`, the calls are ended locally either way.
    const grace = options.graceMs ?? 3000;
    await this.atMost(
      grace,
      this.activeCalls().map((call) => call.hangup()),
    );
    await this.atMost(
      grace,
      this.registrations.map((registration) => registration.stop()),
    );
    this.offRequests();
    await this.options.stack.close();
  }

  private atMost(ms: number, work: Promise<unknown>[]): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.options.clock.setTimeout(resolve, ms);
      void Promise.allSettled(work).then(() => {
        timer.cancel();
        resolve();
      });
    });
  }

  private callDeps(authenticate?: ChallengeResponder) {
    const o = this.options;
    return {
      signalling: o.stack,
      media: o.media,
      clock: o.clock,
      trace: o.createTrace(),
      mediaAddress: o.mediaAddress,
      contactUser: o.contactUser ?? 'zhike',
      ...(o.codecs ? { codecs: o.codecs } : {}),
      ...(o.timers ? { timers: o.timers } : {}),
      ...(authenticate ? { authenticate } : {}),
      ...(o.onError ? { onError: o.onError } : {}),
    };
  }

  private track(call: SipCall): void {
    this.calls.set(call.id, call);
    void call.ended.then(() => {
      if (this.calls.get(call.id) === call) this.calls.delete(call.id);
    });
  }

  private route(incoming: ServerRequest): void {
    const { request } = incoming;
    const callId = getCallId(request);
    const call = this.calls.get(callId);
    if (request.method === 'CANCEL') {
      const branch = getTopVia(request).params.branch;
      if (call instanceof InboundSipCall && call.inviteBranch === branch) call.handleRequest(incoming);
      else this.reply(incoming, 481);
      return;
    }
    if (getTo(request).params.tag) {
      // In-dialog: ACK, BYE, re-INVITE, OPTIONS… for a call we know, else 481 (ACKs are dropped).
      if (call) call.handleRequest(incoming);
      else if (request.method !== 'ACK') this.reply(incoming, 481);
      return;
    }
    if (request.method === 'ACK') return; // an ACK outside any dialog has nothing to confirm
    if (request.method === 'OPTIONS') {
      this.reply(incoming, 200, [
        { name: 'Allow', value: ALLOW },
        { name: 'Accept', value: 'application/sdp' },
      ]);
      return;
    }
    if (request.method !== 'INVITE') {
      this.reply(incoming, 405, [{ name: 'Allow', value: ALLOW }]);
      return;
    }
    if (call || this.pending.has(callId)) return; // the same INVITE again (a retransmission that reached us): the call answers it
    this.takeInvite(incoming);
  }

  private takeInvite(incoming: ServerRequest): void {
    const { request, source } = incoming;
    if (this.stopping) {
      this.reply(incoming, 503);
      return;
    }
    const registration = this.registrations.find((r) => r.sourceHosts().includes(source.host));
    if (!registration && !this.policy.isTrunkSource(source.host)) {
      this.reply(incoming, 403);
      return;
    }
    const users = this.policy.answerUsers;
    const user = request.uri.user ?? '';
    if (users.length > 0 && !users.includes(user)) {
      this.reply(incoming, 404);
      return;
    }
    const callId = getCallId(request);
    // Held while the RTP port is reserved, so that a retransmission is not taken as a second call.
    this.pending.add(callId);
    InboundSipCall.receive(this.callDeps(), incoming, registration?.account.id ?? null).then(
      (call) => {
        this.pending.delete(callId);
        if (!call) return;
        this.track(call);
        for (const listener of this.incomingListeners) {
          try {
            listener(call);
          } catch (error) {
            this.options.onError?.(error);
          }
        }
        // Nobody to take it: refuse rather than ring for ever.
        if (this.incomingListeners.size === 0) call.reject(480);
      },
      (error: unknown) => {
        this.pending.delete(callId);
        this.options.onError?.(error);
        this.reply(incoming, 500);
      },
    );
  }

  private reply(incoming: ServerRequest, status: number, headers: SipHeader[] = []): void {
    incoming.respond(createResponse(incoming.request, status, undefined, { headers }));
  }
}
