// Work a socket started that must finish before the app lets go of its database: a widget message being
// stored when the process is asked to stop (a rolling restart). HTTP requests are already waited for by
// the server's own close; socket frames are not, so the gateways register theirs here.

export interface InFlight {
  /** Keeps `work` in the set until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves true once nothing is in flight, or false after `timeoutMs` with work still running. */
  settled(timeoutMs: number): Promise<boolean>;
  readonly size: number;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      const entry = work.then(
        () => undefined,
        () => undefined,
      );
      running.add(entry);
      void entry.then(() => running.delete(entry));
      return work;
    },
    async settled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // Work can start more work (a frame queued behind another), so wait until the set stays empty.
      while (running.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((r) => {
          timer = setTimeout(() => r('timeout'), left);
        });
        const outcome = await Promise.race([Promise.all([...running]), timeout]);
        clearTimeout(timer);
        if (outcome === 'timeout') return running.size === 0;
      }
      return true;
    },
    get size() {
      return running.size;
    },
  };
}
