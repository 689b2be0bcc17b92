// The bot loop's single queue of what happened on the call (caller input, settled promises, timers),
// read one event at a time so the loop's state changes in one place and in order.

import type { VoiceClock } from '../types.ts';

export type QueueEvent<E> =
  | E
  | { type: 'timer'; token: number }
  | { type: 'settled'; token: number; value: unknown; error?: unknown; failed: boolean };

export class EventQueue<E extends { type: string }> {
  private readonly queue: QueueEvent<E>[] = [];
  private wake: (() => void) | null = null;
  private nextToken = 1;
  private readonly timers = new Set<{ cancel(): void }>();

  constructor(private readonly clock: VoiceClock) {}

  push(event: QueueEvent<E>): void {
    this.queue.push(event);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The next event, waiting for one if none is queued. */
  async next(): Promise<QueueEvent<E>> {
    while (this.queue.length === 0) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    return this.queue.shift()!;
  }

  /** Queues a 'settled' event with the returned token when `promise` settles (never rejects). */
  settleInto(promise: Promise<unknown>): number {
    const token = this.nextToken++;
    promise.then(
      (value) => this.push({ type: 'settled', token, value, failed: false }),
      (error: unknown) => this.push({ type: 'settled', token, value: undefined, error, failed: true }),
    );
    return token;
  }

  /** Queues a 'timer' event with the returned token after `ms`. */
  startTimer(ms: number): number {
    const token = this.nextToken++;
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.push({ type: 'timer', token });
    }, ms);
    this.timers.add(timer);
    return token;
  }

  /** Cancels every timer still pending (the call is over). */
  cancelTimers(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}
