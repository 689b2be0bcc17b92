// The estimated wait a customer is told, from the queue's recent pickups and who is online now.
//
// Formula (README "Queues"):
//   pickup  = median of the queue's last 20 pickup waits in the past 24 h when there are at least 3,
//             else the pickup timeout (an offered conversation is taken within it);
//   free    = free slots now: Σ over available agents serving the queue of max(0, capacity − load);
//   slots   = total capacity of those agents;
//   wait(N) = pickup                                               when N ≤ free,
//           = pickup + ⌈(N − free) / slots⌉ × HANDLE_SECONDS        otherwise (a slot frees up each
//             time a held conversation ends; HANDLE_SECONDS is the average handle time assumed per round);
//   unknown (null) when no agent serving the queue is available: nobody can give a time.
// The customer sees whole minutes, rounded up, at least 1.

/** Assumed average handle time of one conversation, per slot round. */
export const HANDLE_SECONDS = 300;
/** How many recent pickups the median is taken over, and how far back. */
export const PICKUP_SAMPLE = 20;
export const PICKUP_WINDOW_MS = 24 * 3_600_000;

export interface WaitInputs {
  /** 1 = next in line. */
  position: number;
  /** Seconds from queueing to pickup of recent conversations in the queue (any order). */
  recentPickupSeconds: readonly number[];
  pickupTimeoutSeconds: number;
  freeSlots: number;
  totalSlots: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Seconds, or null when nobody is available to give a time. */
export function estimateWaitSeconds(input: WaitInputs): number | null {
  if (input.totalSlots <= 0) return null;
  const pickup =
    input.recentPickupSeconds.length >= 3 ? median(input.recentPickupSeconds) : input.pickupTimeoutSeconds;
  if (input.position <= input.freeSlots) return Math.round(pickup);
  const rounds = Math.ceil((input.position - input.freeSlots) / input.totalSlots);
  return Math.round(pickup + rounds * HANDLE_SECONDS);
}

export const waitMinutes = (seconds: number): number => Math.max(1, Math.ceil(seconds / 60));
