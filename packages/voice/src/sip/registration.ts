// Registration at a PBX or SIP-trunk registrar (RFC 3261 §10): REGISTER with digest auth, refresh at half
// the granted expiry, retry after failures, unregister (Expires: 0) on stop, and state events.
//
// API:
//   const registration = new SipRegistration({ layer, registrar: 'sip:pbx.example:5060', user, password });
//   registration.onEvent((event) => …)   // registered { expires } | failed { status, reason } | unregistered
//   registration.start(); …; await registration.stop();
//   registration.authenticate(request, challenge)  // the same credentials for calls through this registrar

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Unsubscribe, VoiceClock } from '../types.ts';
import { DigestClient } from './digest.ts';
import { getContacts, getHeader, getNumberHeader, type SipHeader } from './headers.ts';
import { createRequest, newBranch, newCallId, newTag, type SipRequest, type SipResponse } from './message.ts';
import { systemClock } from './stack.ts';
import type { ClientTransaction } from './transaction.ts';
import type { SipPeer, SipTransportName } from './transport.ts';
import { formatHostPort, formatUri, parseUri, type SipUri } from './uri.ts';

/** The part of the transaction layer registration uses (SipTransactionLayer implements it). */
export interface RegistrationStack {
  sendRequest(request: SipRequest, destination: SipPeer): Pick<ClientTransaction, 'onResponse'>;
  localAddress(transport: SipTransportName): { host: string; port: number };
}

export interface RegistrationOptions {
  stack: RegistrationStack;
  /** Registrar URI, e.g. sip:pbx.example.com:5060 or sip:10.0.0.5;transport=tcp. */
  registrar: string;
  user: string;
  password: string;
  /** Digest user name when it differs from `user`. */
  authUser?: string;
  /** Domain of the address of record; the registrar's host by default. */
  domain?: string;
  /** Requested lifetime in seconds. */
  expires?: number;
  /** User part of our Contact; `user` by default. */
  contactUser?: string;
  clock?: VoiceClock;
  /** Wait before trying again after a failure (a Retry-After from the registrar wins). */
  retryAfterFailureMs?: number;
  /** Resolves the registrar's host to the addresses its requests come from. */
  resolve?: (host: string) => Promise<string[]>;
}

export type RegistrationEvent =
  | { type: 'registered'; expires: number; status: number }
  | { type: 'failed'; status: number; reason: string }
  | { type: 'unregistered' };

export type RegistrationState = 'idle' | 'registering' | 'registered' | 'failed' | 'stopped';

const DEFAULT_EXPIRES = 600;

export class SipRegistration {
  readonly authenticate: (request: SipRequest, challenge: SipResponse) => SipHeader | null;
  private readonly listeners = new Set<(event: RegistrationEvent) => void>();
  private readonly digest: DigestClient;
  private readonly clock: VoiceClock;
  private readonly registrarUri: SipUri;
  private readonly destination: SipPeer;
  private readonly callId = newCallId();
  private readonly fromTag = newTag();
  private cseq = Math.floor(Math.random() * 10_000) + 1;
  private current: RegistrationState = 'idle';
  private timer: { cancel(): void } | undefined;
  private resolvedHosts: string[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly options: RegistrationOptions) {
    this.registrarUri = parseUri(options.registrar);
    if (this.registrarUri.scheme === 'tel' || this.registrarUri.host === '') {
      throw new Error(`registrar must be a sip: URI, got "${options.registrar}"`);
    }
    const transport = (this.registrarUri.params.transport ?? 'udp').toUpperCase();
    if (transport !== 'UDP' && transport !== 'TCP')
      throw new Error(`unsupported registrar transport ${transport}`);
    this.destination = { transport, host: this.registrarUri.host, port: this.registrarUri.port ?? 5060 };
    this.digest = new DigestClient({
      username: options.authUser ?? options.user,
      password: options.password,
    });
    this.authenticate = (request, challenge) => this.digest.authorize(request, challenge);
    this.clock = options.clock ?? systemClock();
    if (isIP(this.destination.host)) this.resolvedHosts = [this.destination.host];
  }

  get state(): RegistrationState {
    return this.current;
  }

  onEvent(listener: (event: RegistrationEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Addresses the registrar resolves to: requests from them come through our registration. */
  sourceHosts(): readonly string[] {
    return this.resolvedHosts;
  }

  /** Registers now and keeps the binding fresh until stop(). */
  start(): void {
    if (this.current !== 'idle') return;
    this.cycle();
  }

  /** Stops refreshing and removes the binding (Expires: 0) when one may exist. */
  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    const hadBinding = this.current === 'registered' || this.current === 'registering';
    this.current = 'stopped';
    this.timer?.cancel();
    await this.running?.catch(() => {});
    if (!hadBinding) return;
    const response = await this.exchange(0);
    if (response.status >= 200 && response.status < 300) this.emit({ type: 'unregistered' });
  }

  private cycle(): void {
    if (this.current === 'stopped') return;
    this.current = 'registering';
    this.running = this.registerOnce().catch((error: unknown) => {
      this.fail(503, error instanceof Error ? error.message : String(error), undefined);
    });
  }

  private async registerOnce(): Promise<void> {
    if (!isIP(this.destination.host)) {
      const resolve = this.options.resolve ?? defaultResolve;
      this.resolvedHosts = await resolve(this.destination.host);
    }
    const response = await this.exchange(this.options.expires ?? DEFAULT_EXPIRES);
    if (this.current === 'stopped') return;
    if (response.status >= 200 && response.status < 300) {
      const granted = this.grantedExpires(response);
      if (granted <= 0) {
        this.fail(response.status, 'registrar granted no lifetime', response);
        return;
      }
      this.current = 'registered';
      this.emit({ type: 'registered', expires: granted, status: response.status });
      // Half the granted lifetime: a refresh that needs a digest round trip and a retransmission or two
      // still lands well before the binding expires.
      this.timer = this.clock.setTimeout(() => this.cycle(), (granted * 1000) / 2);
      return;
    }
    this.fail(response.status, response.reason, response);
  }

  private fail(status: number, reason: string, response: SipResponse | undefined): void {
    if (this.current === 'stopped') return;
    this.current = 'failed';
    this.emit({ type: 'failed', status, reason });
    // Retry-After may carry a comment and a duration (§20.33); only its leading seconds matter here.
    const retryAfter = /^\s*([0-9]{1,9})/.exec((response && getHeader(response, 'Retry-After')) ?? '')?.[1];
    const wait =
      retryAfter !== undefined ? Number(retryAfter) * 1000 : (this.options.retryAfterFailureMs ?? 30_000);
    this.timer = this.clock.setTimeout(() => this.cycle(), wait);
  }

  /** One REGISTER, answered through digest challenges and 423 Interval Too Brief; the final response. */
  private async exchange(expires: number): Promise<SipResponse> {
    let auth: SipHeader | null = null;
    let lifetime = expires;
    for (let attempt = 0; attempt < 4; attempt++) {
      const request = this.buildRegister(lifetime, auth);
      const response = await this.transact(request);
      if (response.status === 401 || response.status === 407) {
        auth = this.digest.authorize(request, response);
        if (!auth) return response;
        continue;
      }
      const minimum = response.status === 423 ? getNumberHeader(response, 'Min-Expires') : undefined;
      if (minimum !== undefined && minimum > lifetime && lifetime !== 0) {
        lifetime = minimum;
        continue;
      }
      return response;
    }
    throw new Error('registrar kept challenging');
  }

  private transact(request: SipRequest): Promise<SipResponse> {
    return new Promise((resolve) => {
      const transaction = this.options.stack.sendRequest(request, this.destination);
      transaction.onResponse((response) => {
        if (response.status >= 200) resolve(response);
      });
    });
  }

  private contactUri(): string {
    const local = this.options.stack.localAddress(this.destination.transport);
    const transport = this.destination.transport === 'TCP' ? ';transport=tcp' : '';
    return `sip:${this.options.contactUser ?? this.options.user}@${formatHostPort(local.host, local.port)}${transport}`;
  }

  private buildRegister(expires: number, auth: SipHeader | null): SipRequest {
    const local = this.options.stack.localAddress(this.destination.transport);
    const aor = `sip:${this.options.user}@${this.options.domain ?? formatHostPort(this.registrarUri.host)}`;
    const requestUri: SipUri = { ...this.registrarUri, params: { ...this.registrarUri.params } };
    delete requestUri.user;
    delete requestUri.password;
    this.cseq++;
    const headers: SipHeader[] = [
      {
        name: 'Via',
        value: `SIP/2.0/${this.destination.transport} ${formatHostPort(local.host, local.port)};branch=${newBranch()};rport`,
      },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `<${aor}>;tag=${this.fromTag}` },
      { name: 'To', value: `<${aor}>` },
      { name: 'Call-ID', value: this.callId },
      { name: 'CSeq', value: `${this.cseq} REGISTER` },
      { name: 'Contact', value: `<${this.contactUri()}>;expires=${expires}` },
      { name: 'Expires', value: String(expires) },
      { name: 'Allow', value: 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, NOTIFY, REFER' },
      { name: 'User-Agent', value: 'Zhike' },
    ];
    if (auth) headers.push(auth);
    return createRequest({ method: 'REGISTER', uri: parseUri(formatUri(requestUri)), headers });
  }

  /** Our binding's lifetime from the 200: its Contact's expires, else Expires, else what we asked. */
  private grantedExpires(response: SipResponse): number {
    const ours = parseUri(this.contactUri());
    const contacts = getContacts(response);
    if (contacts !== '*') {
      for (const contact of contacts) {
        const uri = contact.uri;
        const same =
          uri.user === ours.user && uri.host === ours.host && (uri.port ?? 5060) === (ours.port ?? 5060);
        const expires = contact.params.expires;
        if (same && expires != null && /^[0-9]{1,10}$/.test(expires)) return Number(expires);
      }
    }
    return getNumberHeader(response, 'Expires') ?? this.options.expires ?? DEFAULT_EXPIRES;
  }

  private emit(event: RegistrationEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener must not stop the refresh cycle; listeners log their own errors.
      }
    }
  }
}

async function defaultResolve(host: string): Promise<string[]> {
  const addresses = await lookup(host, { all: true });
  return addresses.map((a) => a.address);
}
