// A SIP dialog (RFC 3261 §12): its identity (Call-ID and tags), both CSeq spaces, the route set and the
// remote target, and how requests inside it are built (§12.2.1.1) and checked on arrival (§12.2.2).
import {
  createRequest,
  formatHostPort,
  formatNameAddr,
  formatUri,
  getCallId,
  getContacts,
  getCSeq,
  getFrom,
  getRoutes,
  getTo,
  type NameAddr,
  newBranch,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  type SipUri,
} from '../sip/index.ts';
import type { LocalSipAddress, SignallingTransport, SipDestination } from './ports.ts';

/** A dialog could not be formed or a request does not belong to it. */
export class DialogError extends Error {
  constructor(
    message: string,
    /** The SIP status to answer a request that caused it. */
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'DialogError';
  }
}

export interface DialogState {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** Our From (UAC) or To (UAS) address, without its tag. */
  localUri: NameAddr;
  remoteUri: NameAddr;
  localSeq: number;
  /** null until the peer has sent a request in the dialog (UAC side). */
  remoteSeq: number | null;
  remoteTarget: SipUri;
  /** Record-Route as it applies to our requests: first entry is the next hop. */
  routeSet: NameAddr[];
}

function tagOf(addr: NameAddr): string | undefined {
  const tag = addr.params.tag;
  return typeof tag === 'string' && tag !== '' ? tag : undefined;
}

function withoutTag(addr: NameAddr): NameAddr {
  const params = { ...addr.params };
  delete params.tag;
  return { ...addr, params };
}

function singleContact(message: SipRequest | SipResponse): SipUri {
  const contacts = getContacts(message);
  const first = contacts === '*' ? undefined : contacts[0];
  if (!first) throw new DialogError('a dialog-creating message needs one Contact');
  return first.uri;
}

/** Next hop for a URI with no DNS SRV/NAPTR (RFC 3263 §4.2 fallback: port 5060, transport param or UDP). */
export function destinationOf(uri: SipUri): SipDestination {
  const maddr = uri.params.maddr;
  const wanted = String(uri.params.transport ?? 'udp').toUpperCase();
  const transport: SignallingTransport = wanted === 'TCP' ? 'TCP' : 'UDP';
  return {
    transport,
    host: typeof maddr === 'string' && maddr !== '' ? maddr : uri.host,
    port: uri.port ?? 5060,
  };
}

export function viaValue(local: LocalSipAddress, branch: string): string {
  return `SIP/2.0/${local.transport} ${formatHostPort(local.host, local.port)};branch=${branch};rport`;
}

export function contactValue(local: LocalSipAddress, user: string): string {
  const transport = local.transport === 'TCP' ? ';transport=tcp' : '';
  return `<sip:${user}@${formatHostPort(local.host, local.port)}${transport}>`;
}

export interface InDialogRequestOptions {
  local: LocalSipAddress;
  /** Our Contact value (target refresh requests: INVITE; harmless elsewhere). */
  contact?: string;
  body?: Buffer;
  contentType?: string;
  headers?: SipHeader[];
  /** ACK and CANCEL reuse a CSeq number instead of taking the next one. */
  cseq?: number;
  branch?: string;
}

export class Dialog {
  private constructor(private readonly state: DialogState) {}

  /** UAS side: the dialog our 2xx (or 18x with a tag) to `invite` creates (§12.1.1). */
  static fromInvite(invite: SipRequest, localTag: string): Dialog {
    const from = getFrom(invite);
    const remoteTag = tagOf(from);
    if (!remoteTag) throw new DialogError('INVITE without a From tag');
    return new Dialog({
      callId: getCallId(invite),
      localTag,
      remoteTag,
      localUri: withoutTag(getTo(invite)),
      remoteUri: withoutTag(from),
      localSeq: Math.floor(Math.random() * 10_000) + 1,
      remoteSeq: getCSeq(invite).seq,
      remoteTarget: singleContact(invite),
      routeSet: getRoutes(invite, 'Record-Route'),
    });
  }

  /** UAC side: the dialog a 2xx to our `invite` creates (§12.1.2); Record-Route is reversed. */
  static fromResponse(invite: SipRequest, response: SipResponse): Dialog {
    const to = getTo(response);
    const remoteTag = tagOf(to);
    if (!remoteTag) throw new DialogError('2xx without a To tag');
    const localTag = tagOf(getFrom(invite));
    if (!localTag) throw new DialogError('our INVITE has no From tag');
    return new Dialog({
      callId: getCallId(invite),
      localTag,
      remoteTag,
      localUri: withoutTag(getFrom(invite)),
      remoteUri: withoutTag(to),
      localSeq: getCSeq(invite).seq,
      remoteSeq: null,
      remoteTarget: singleContact(response),
      routeSet: getRoutes(response, 'Record-Route').reverse(),
    });
  }

  get callId(): string {
    return this.state.callId;
  }

  get localTag(): string {
    return this.state.localTag;
  }

  get remoteTag(): string {
    return this.state.remoteTag;
  }

  get remoteTarget(): SipUri {
    return this.state.remoteTarget;
  }

  get localSeq(): number {
    return this.state.localSeq;
  }

  /** Where requests in this dialog go: the first route when there is one, else the remote target. */
  nextHop(): SipDestination {
    return destinationOf(this.state.routeSet[0]?.uri ?? this.state.remoteTarget);
  }

  /** True when `message` carries this dialog's Call-ID and tags (seen from the sender's side). */
  matchesRequest(request: SipRequest): boolean {
    try {
      return (
        getCallId(request) === this.state.callId &&
        tagOf(getTo(request)) === this.state.localTag &&
        tagOf(getFrom(request)) === this.state.remoteTag
      );
    } catch {
      return false;
    }
  }

  /**
   * Checks a request the peer sent in this dialog (§12.2.2): a CSeq lower than the last one is out of
   * order (500); a target refresh (INVITE) updates the remote target. ACK and CANCEL reuse numbers.
   */
  acceptRequest(request: SipRequest): void {
    const { seq, method } = getCSeq(request);
    if (method !== 'ACK' && method !== 'CANCEL') {
      if (this.state.remoteSeq !== null && seq <= this.state.remoteSeq) {
        throw new DialogError(`CSeq ${seq} is not above ${this.state.remoteSeq}`, 500);
      }
      this.state.remoteSeq = seq;
    }
    if (method === 'INVITE') {
      const contacts = getContacts(request);
      const first = contacts === '*' ? undefined : contacts[0];
      if (first) this.state.remoteTarget = first.uri;
    }
  }

  /** A 2xx to our re-INVITE may move the remote target (§12.2.1.2). */
  refreshFromResponse(response: SipResponse): void {
    const contacts = getContacts(response);
    const first = contacts === '*' ? undefined : contacts[0];
    if (first) this.state.remoteTarget = first.uri;
  }

  /** Builds a request inside the dialog (§12.2.1.1), loose routing; strict routers get the target last. */
  createRequest(method: string, options: InDialogRequestOptions): SipRequest {
    let cseq = options.cseq;
    if (cseq === undefined) {
      this.state.localSeq += 1;
      cseq = this.state.localSeq;
    }
    const routes = this.state.routeSet;
    const first = routes[0];
    const strict = first !== undefined && !('lr' in first.uri.params);
    const uri = strict ? first.uri : this.state.remoteTarget;
    const routeValues = (strict ? routes.slice(1) : routes).map(formatNameAddr);
    if (strict) routeValues.push(`<${formatUri(this.state.remoteTarget)}>`);
    const headers: SipHeader[] = [
      { name: 'Via', value: viaValue(options.local, options.branch ?? newBranch()) },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: formatNameAddr(this.tagged(this.state.localUri, this.state.localTag)) },
      { name: 'To', value: formatNameAddr(this.tagged(this.state.remoteUri, this.state.remoteTag)) },
      { name: 'Call-ID', value: this.state.callId },
      { name: 'CSeq', value: `${cseq} ${method}` },
    ];
    for (const route of routeValues) headers.push({ name: 'Route', value: route });
    if (options.contact) headers.push({ name: 'Contact', value: options.contact });
    if (options.body && options.body.length > 0) {
      headers.push({ name: 'Content-Type', value: options.contentType ?? 'application/sdp' });
    }
    headers.push(...(options.headers ?? []));
    return createRequest({ method, uri, headers, body: options.body ?? Buffer.alloc(0) });
  }

  private tagged(addr: NameAddr, tag: string): NameAddr {
    return { ...addr, params: { ...addr.params, tag } };
  }
}
