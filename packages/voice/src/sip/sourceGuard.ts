// Per-source protection for the SIP transport: a token bucket of messages per source IP and a count of
// bytes each source holds in partly received TCP messages, so one noisy peer is dropped cheaply, before
// parsing, while every other peer is served as usual.

export interface SourceGuardOptions {
  /** Sustained messages per second one source IP may send. */
  messagesPerSecond: number;
  /** Messages a source may send in a burst above the sustained rate. */
  burst: number;
  /** Bytes one source may hold in unfinished TCP messages across its connections. */
  maxPendingBytes: number;
  /** Sources remembered at most; the least recently seen are forgotten first (spoofed floods). */
  maxSources: number;
}

export const DEFAULT_SOURCE_GUARD: Readonly<SourceGuardOptions> = Object.freeze({
  messagesPerSecond: 200,
  burst: 400,
  maxPendingBytes: 256 * 1024,
  maxSources: 10_000,
});

interface SourceState {
  tokens: number;
  refilledAt: number;
  pendingBytes: number;
}

export class SourceGuard {
  private readonly sources = new Map<string, SourceState>();
  private readonly options: SourceGuardOptions;

  constructor(
    options: Partial<SourceGuardOptions> = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.options = { ...DEFAULT_SOURCE_GUARD, ...options };
  }

  /** Takes one message token for `ip`; false means drop the message unread. */
  admit(ip: string): boolean {
    const state = this.state(ip);
    const now = this.now();
    const elapsed = Math.max(0, now - state.refilledAt) / 1000;
    state.tokens = Math.min(this.options.burst, state.tokens + elapsed * this.options.messagesPerSecond);
    state.refilledAt = now;
    if (state.tokens < 1) return false;
    state.tokens -= 1;
    return true;
  }

  /** Changes the bytes `ip` holds in unfinished messages; false when it would pass the cap. */
  holdBytes(ip: string, delta: number): boolean {
    const state = this.state(ip);
    const next = Math.max(0, state.pendingBytes + delta);
    if (delta > 0 && next > this.options.maxPendingBytes) return false;
    state.pendingBytes = next;
    return true;
  }

  pendingBytes(ip: string): number {
    return this.sources.get(ip)?.pendingBytes ?? 0;
  }

  private state(ip: string): SourceState {
    let state = this.sources.get(ip);
    if (state) {
      // Re-insert so Map order is least recently seen first.
      this.sources.delete(ip);
      this.sources.set(ip, state);
      return state;
    }
    if (this.sources.size >= this.options.maxSources) {
      // Forget the stalest source that holds no bytes: its bucket simply starts full again.
      for (const [key, value] of this.sources) {
        if (value.pendingBytes === 0) {
          this.sources.delete(key);
          break;
        }
      }
    }
    state = { tokens: this.options.burst, refilledAt: this.now(), pendingBytes: 0 };
    this.sources.set(ip, state);
    return state;
  }
}
