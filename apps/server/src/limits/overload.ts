// Load shedding: when the event loop lags (the process has more work than its core can do), new requests
// are refused at the door with 503 and Retry-After instead of all being served late. A refused request
// was never accepted, so nothing is lost; health checks and metrics are always answered, so a proxy or
// an orchestrator still sees the process alive.

export interface OverloadGuard {
  /** True while the event-loop delay has been above the limit for `windows` samples in a row. */
  overloaded(): boolean;
  /** How late the last sample ran, in ms (for logs and metrics). */
  lastDelayMs(): number;
  stop(): void;
}

export function createOverloadGuard(options: {
  maxDelayMs: number;
  sampleMs?: number;
  /** Windows in a row over the limit before shedding starts (one long stall alone is not overload). */
  windows?: number;
}): OverloadGuard {
  const sampleMs = options.sampleMs ?? 500;
  const needed = options.windows ?? 2;
  let delayMs = 0;
  let over = 0;
  let due = performance.now() + sampleMs;
  // How late this timer runs is the event loop's delay: a callback waits exactly that long for its turn.
  // A single stall (a bot model compiled at start) passes; a loop that stays behind window after window
  // is a process with more work than it can do.
  const timer = setInterval(() => {
    const now = performance.now();
    delayMs = Math.max(0, now - due);
    due = now + sampleMs;
    over = options.maxDelayMs > 0 && delayMs > options.maxDelayMs ? over + 1 : 0;
  }, sampleMs);
  timer.unref();
  return {
    overloaded: () => over >= needed,
    lastDelayMs: () => delayMs,
    stop() {
      clearInterval(timer);
    },
  };
}

/** Paths always answered, overloaded or not. */
export const ALWAYS_ANSWERED = new Set(['/healthz', '/readyz', '/metrics']);
