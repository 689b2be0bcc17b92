// A call's public vocabulary: its states, why it ended, and the typed listeners behind on(...).
import type { Unsubscribe } from '../types.ts';

export type SipCallState =
  /** Inbound: INVITE received, 180 sent, waiting for answer() or reject(). */
  | 'ringing'
  /** Outbound: INVITE sent, no provisional response with ringing yet. */
  | 'dialing'
  /** Outbound: the far end rings (180/183). */
  | 'alerting'
  /** Inbound: 200 sent, waiting for the ACK. */
  | 'connecting'
  | 'active'
  | 'ended';

export type CallEndCause =
  | 'local-hangup'
  | 'remote-hangup'
  /** Inbound: the caller gave up (CANCEL) before we answered. Outbound: we hung up while it rang. */
  | 'cancelled'
  /** Inbound: we answered the INVITE with an error (reject(), 488, 503…). */
  | 'rejected'
  | 'busy'
  | 'no-answer'
  | 'declined'
  | 'not-found'
  | 'unauthorized'
  /** Transport failure or transaction timeout reaching the peer or its proxy. */
  | 'unreachable'
  /** Our 200 OK was never acknowledged (§13.3.1.4: BYE after 64·T1). */
  | 'no-ack'
  /** The RTP leg closed on its own (media timeout, peer gone). */
  | 'media-ended'
  | 'failed';

export interface CallEnded {
  cause: CallEndCause;
  /** The SIP status behind it, when one was sent or received. */
  status?: number;
  /** Human-readable detail for logs and the trace. */
  detail?: string;
}

export interface HoldState {
  /** We put the peer on hold (hold()). */
  local: boolean;
  /** The peer put us on hold (its re-INVITE stopped receiving from us). */
  remote: boolean;
}

export interface SipCallEvents {
  ringing: undefined;
  answered: undefined;
  hold: HoldState;
  ended: CallEnded;
}

/** Maps a final failure status of an outbound INVITE to why the call did not happen. */
export function causeOfFailure(status: number): CallEndCause {
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480) return 'no-answer';
  if (status === 603) return 'declined';
  if (status === 404 || status === 484 || status === 604) return 'not-found';
  if (status === 401 || status === 407 || status === 403) return 'unauthorized';
  if (status === 487) return 'cancelled';
  if (status === 503) return 'unreachable';
  return 'failed';
}

/** Typed listeners; a throwing listener is reported, never allowed to break the call's own flow. */
export class CallEmitter {
  private readonly listeners = new Map<keyof SipCallEvents, Set<(value: never) => void>>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  on<E extends keyof SipCallEvents>(event: E, listener: (value: SipCallEvents[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as (value: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  emit<E extends keyof SipCallEvents>(event: E, value: SipCallEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (value: SipCallEvents[E]) => void)(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
