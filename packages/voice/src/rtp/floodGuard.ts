// Per-source packet rate limit for an RTP port: a token bucket per sender address, so one source
// sending too fast is dropped cheaply without touching packets from the peer.

export interface FloodGuardOptions {
  /** Sustained packets per second allowed from one source (default 150: three times 20 ms audio). */
  maxPacketsPerSecond?: number;
  /** Burst allowance in packets (default 50). */
  burst?: number;
  /** Sources tracked at once; the least recently seen is forgotten beyond it (default 16). */
  maxSources?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class FloodGuard {
  private readonly rate: number;
  private readonly burst: number;
  private readonly maxSources: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: FloodGuardOptions = {}) {
    this.rate = options.maxPacketsPerSecond ?? 150;
    this.burst = options.burst ?? 50;
    this.maxSources = options.maxSources ?? 16;
  }

  /** True when a packet from `source` may be processed at time `now` (ms). */
  allow(source: string, now: number): boolean {
    let bucket = this.buckets.get(source);
    if (!bucket) {
      if (this.buckets.size >= this.maxSources) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: this.burst, updatedAt: now };
      this.buckets.set(source, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) * this.rate) / 1000);
      bucket.updatedAt = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
