// Test doubles for call control: a manual clock, a signalling layer that records what the call sends and
// lets the test answer, an RTP factory whose legs record mute/close, and a trace that keeps events.
import type { NegotiatedMedia } from '../sdp/offerAnswer.ts';
import {
  createResponse,
  parseMessage,
  type SipHeader,
  type SipRequest,
  type SipResponse,
} from '../sip/index.ts';
import type {
  CallTrace,
  DtmfDigit,
  MediaLeg,
  MediaLegStats,
  Playback,
  TraceEvent,
  VoiceClock,
} from '../types.ts';
import type {
  CallMediaFactory,
  CallSignalling,
  ClientRequest,
  LocalSipAddress,
  RtpReservation,
  ServerRequest,
  SignallingTransport,
  SipDestination,
} from './ports.ts';

export class ManualClock implements VoiceClock {
  private time = 1_000_000;
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.time + ms, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Moves time forward, firing due timers in order (timers they set are honoured too). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}

export class ListTrace implements CallTrace {
  readonly list: TraceEvent[] = [];
  add(event: Omit<TraceEvent, 'atMs'> & { atMs?: number }): void {
    this.list.push({ ...event, atMs: event.atMs ?? 0 });
  }
  events(): readonly TraceEvent[] {
    return this.list;
  }
  names(): string[] {
    return this.list.map((event) => event.name);
  }
}

export interface SentRequest {
  request: SipRequest;
  destination: SipDestination;
  /** Feeds a response to the call as if it came back through the client transaction. */
  reply(status: number, options?: { toTag?: string; headers?: SipHeader[]; body?: string }): SipResponse;
}

export class FakeSignalling implements CallSignalling {
  readonly requests: SentRequest[] = [];
  readonly acks: { request: SipRequest; destination: SipDestination }[] = [];

  localAddress(transport: SignallingTransport): LocalSipAddress {
    return { transport, host: '192.0.2.10', port: 5070 };
  }

  sendRequest(request: SipRequest, destination: SipDestination): ClientRequest {
    const listeners: ((response: SipResponse) => void)[] = [];
    this.requests.push({
      request,
      destination,
      reply: (status, options = {}) => {
        const response = createResponse(request, status, undefined, {
          ...(options.toTag ? { toTag: options.toTag } : {}),
          headers: [
            ...(options.headers ?? []),
            ...(options.body ? [{ name: 'Content-Type', value: 'application/sdp' }] : []),
          ],
          ...(options.body ? { body: Buffer.from(options.body) } : {}),
        });
        for (const listener of listeners) listener(response);
        return response;
      },
    });
    return { onResponse: (listener) => listeners.push(listener) };
  }

  sendAck(ack: SipRequest, destination: SipDestination): void {
    this.acks.push({ request: ack, destination });
  }

  last(method: string): SentRequest {
    const found = this.requests.filter((sent) => sent.request.method === method).at(-1);
    if (!found) throw new Error(`no ${method} was sent`);
    return found;
  }
}

/** An incoming request as the user agent hands it over, keeping the responses the call sends. */
export function serverRequest(text: string): ServerRequest & { responses: SipResponse[] } {
  const request = parseMessage(text.replace(/\r?\n/g, '\r\n'));
  if (request.kind !== 'request') throw new Error('not a request');
  const responses: SipResponse[] = [];
  return {
    request,
    source: { transport: 'UDP', host: '127.0.0.1', port: 5062 },
    responses,
    respond: (response) => responses.push(response),
  };
}

export class FakeLeg implements MediaLeg {
  readonly id = 'leg-1';
  muted = false;
  isClosed = false;
  readonly codec;
  private closeLeg!: () => void;
  readonly closed = new Promise<void>((resolve) => {
    this.closeLeg = resolve;
  });

  constructor(readonly negotiated: NegotiatedMedia) {
    this.codec = negotiated.codec;
  }
  onAudio(): () => void {
    return () => {};
  }
  onDtmf(_listener: (digit: DtmfDigit) => void): () => void {
    return () => {};
  }
  onSent(): () => void {
    return () => {};
  }
  play(): Playback {
    return { stop() {}, done: Promise.resolve('finished') };
  }
  stopPlayback(): void {}
  async sendDtmf(): Promise<void> {}
  setMuted(muted: boolean): void {
    this.muted = muted;
  }
  close(): void {
    this.isClosed = true;
    this.closeLeg();
  }
  stats(): MediaLegStats {
    return { packetsSent: 0, packetsReceived: 0, lateSent: 0, droppedReceived: 0 };
  }
}

export class FakeMedia implements CallMediaFactory {
  readonly legs: FakeLeg[] = [];
  readonly updates: NegotiatedMedia[] = [];
  released = 0;
  exhausted = false;

  async reserve(): Promise<RtpReservation> {
    if (this.exhausted) throw new Error('RTP port range exhausted');
    return {
      port: 40000,
      start: (media) => {
        const leg = new FakeLeg(media);
        this.legs.push(leg);
        return leg;
      },
      update: (media) => this.updates.push(media),
      release: () => {
        this.released += 1;
      },
    };
  }
}
