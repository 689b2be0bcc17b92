// Discrete-event simulation of a shop's human queues: given routed conversations and a staffing plan,
// how long does each priority band wait before an agent picks up? Pure and seeded, so a bench run can
// be repeated and two staffing plans compared on exactly the same handle times.

/** Priority bands, most urgent first; the index is the service order. */
export const BANDS = ['urgent', 'high', 'normal', 'low'] as const;
export type Band = (typeof BANDS)[number];

/** A conversation that routing sent to a human queue. */
export interface SimulatedConversation {
  /** Human queue it waits in (e.g. `general`, `complaints`, `vip`); must be staffed. */
  queue: string;
  band: Band;
  /** Seconds since the start of the simulated period. */
  arrivalSeconds: number;
}

/** A time distribution in seconds. Lognormal is the usual shape of chat handle times (long right tail). */
export type Duration =
  | { kind: 'fixed'; seconds: number }
  | { kind: 'exponential'; meanSeconds: number }
  | { kind: 'lognormal'; meanSeconds: number; medianSeconds: number };

export interface QueueStaffing {
  /** Agents serving this queue (only this queue). */
  agents: number;
  /** Conversations each agent can hold at once. */
  capacity: number;
  /** Overrides the shared handle time for this queue (complaints take longer than questions). */
  handleTime?: Duration;
}

export interface SimulationOptions {
  conversations: readonly SimulatedConversation[];
  staffing: Readonly<Record<string, QueueStaffing>>;
  /** Time a conversation keeps an agent's slot once picked up. */
  handleTime: Duration;
  /** Time from an agent's slot becoming free (or the offer) to the agent answering; counts as waiting. */
  pickupTime?: Duration;
  /** Waits at or under this count as answered in time; defaults to 30 s (issue 6's pickup target). */
  targetSeconds?: number;
  seed?: number;
}

export interface WaitStats {
  count: number;
  meanSeconds: number;
  p50Seconds: number;
  p95Seconds: number;
  maxSeconds: number;
  /** Share (0..1) of conversations answered within `targetSeconds`. */
  withinTarget: number;
}

export interface SimulationResult {
  targetSeconds: number;
  overall: WaitStats;
  /** Only bands that had conversations. */
  byBand: Partial<Record<Band, WaitStats>>;
  byQueue: Record<string, WaitStats>;
  /** Busy slot-seconds over available slot-seconds between the first arrival and the last completion. */
  utilisation: Record<string, number>;
  /** Wait of each conversation, in input order. */
  waits: number[];
}

const DEFAULT_TARGET_SECONDS = 30;
const DEFAULT_SEED = 20261125;

/** mulberry32: tiny, fast and good enough for simulation; the seed fully determines the stream. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform draw in (0, 1): logarithms below must never see 0. */
function openUnit(random: () => number): number {
  let u = random();
  while (u === 0) u = random();
  return u;
}

function standardNormal(random: () => number): number {
  // Box–Muller; one of the pair is dropped so every draw consumes the same number of uniforms.
  return Math.sqrt(-2 * Math.log(openUnit(random))) * Math.cos(2 * Math.PI * random());
}

function checkDuration(d: Duration, what: string): void {
  const finite = (x: number) => Number.isFinite(x) && x >= 0;
  if (d.kind === 'fixed' && !finite(d.seconds)) throw new RangeError(`${what}: seconds must be ≥ 0`);
  if (d.kind === 'exponential' && !(finite(d.meanSeconds) && d.meanSeconds > 0))
    throw new RangeError(`${what}: meanSeconds must be > 0`);
  if (d.kind === 'lognormal') {
    if (!(finite(d.medianSeconds) && d.medianSeconds > 0))
      throw new RangeError(`${what}: medianSeconds must be > 0`);
    // A lognormal's mean is median·e^(σ²/2), so it can never be below the median.
    if (!(finite(d.meanSeconds) && d.meanSeconds >= d.medianSeconds))
      throw new RangeError(`${what}: meanSeconds must be ≥ medianSeconds`);
  }
}

export function sampleDuration(d: Duration, random: () => number): number {
  switch (d.kind) {
    case 'fixed':
      return d.seconds;
    case 'exponential':
      return -d.meanSeconds * Math.log(openUnit(random));
    case 'lognormal': {
      const mu = Math.log(d.medianSeconds);
      const sigma = Math.sqrt(2 * Math.log(d.meanSeconds / d.medianSeconds));
      return Math.exp(mu + sigma * standardNormal(random));
    }
  }
}

/**
 * Poisson arrival times for `count` conversations at `perHour` arrivals an hour, starting at 0; for
 * giving a replay set (which has no timestamps) a realistic arrival pattern.
 */
export function poissonArrivals(count: number, perHour: number, seed = DEFAULT_SEED): number[] {
  if (!(perHour > 0)) throw new RangeError('perHour must be > 0');
  const random = createRandom(seed ^ 0x5bd1e995);
  const meanGap = 3600 / perHour;
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += -meanGap * Math.log(openUnit(random));
    times.push(t);
  }
  return times;
}

/** Binary min-heap over a caller-supplied order. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i] as T, items[parent] as T)) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l] as T, items[m] as T)) m = l;
        if (r < items.length && this.before(items[r] as T, items[m] as T)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m] as T, items[i] as T];
        i = m;
      }
    }
    return top;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  // Nearest rank, the same convention as the other benches.
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function summarise(waits: readonly number[], targetSeconds: number): WaitStats {
  const sorted = [...waits].sort((a, b) => a - b);
  let sum = 0;
  let within = 0;
  for (const w of sorted) {
    sum += w;
    if (w <= targetSeconds) within++;
  }
  const n = sorted.length;
  return {
    count: n,
    meanSeconds: n ? sum / n : 0,
    p50Seconds: percentile(sorted, 0.5),
    p95Seconds: percentile(sorted, 0.95),
    maxSeconds: n ? (sorted[n - 1] as number) : 0,
    withinTarget: n ? within / n : 1,
  };
}

interface Waiting {
  index: number;
  rank: number;
  arrival: number;
}

/**
 * Runs each staffed queue as a multi-server queue with agents × capacity slots. Service discipline:
 * priority band first (urgent > high > normal > low), then arrival order; non-preemptive (a picked-up
 * conversation is never put back). Waiting is arrival → an agent answers, pickup time included.
 * Handle and pickup times are drawn per conversation in input order before the run, so two staffing
 * plans or disciplines are compared on the same work.
 */
export function simulateWaits(options: SimulationOptions): SimulationResult {
  const targetSeconds = options.targetSeconds ?? DEFAULT_TARGET_SECONDS;
  const pickupTime = options.pickupTime ?? { kind: 'fixed', seconds: 0 };
  checkDuration(options.handleTime, 'handleTime');
  checkDuration(pickupTime, 'pickupTime');
  for (const [queue, staff] of Object.entries(options.staffing)) {
    if (!(Number.isInteger(staff.agents) && staff.agents >= 1))
      throw new RangeError(`staffing.${queue}.agents must be an integer ≥ 1`);
    if (!(Number.isInteger(staff.capacity) && staff.capacity >= 1))
      throw new RangeError(`staffing.${queue}.capacity must be an integer ≥ 1`);
    if (staff.handleTime) checkDuration(staff.handleTime, `staffing.${queue}.handleTime`);
  }

  const conversations = options.conversations;
  const random = createRandom(options.seed ?? DEFAULT_SEED);
  const handle = new Float64Array(conversations.length);
  const pickup = new Float64Array(conversations.length);
  const byQueue = new Map<string, number[]>();
  conversations.forEach((c, i) => {
    const staff = options.staffing[c.queue];
    if (!staff) throw new RangeError(`conversation ${i}: queue "${c.queue}" has no staffing`);
    if (!BANDS.includes(c.band)) throw new RangeError(`conversation ${i}: unknown band "${c.band}"`);
    if (!(Number.isFinite(c.arrivalSeconds) && c.arrivalSeconds >= 0))
      throw new RangeError(`conversation ${i}: arrivalSeconds must be ≥ 0`);
    handle[i] = sampleDuration(staff.handleTime ?? options.handleTime, random);
    pickup[i] = sampleDuration(pickupTime, random);
    const list = byQueue.get(c.queue);
    if (list) list.push(i);
    else byQueue.set(c.queue, [i]);
  });

  const waits = new Array<number>(conversations.length).fill(0);
  const utilisation: Record<string, number> = {};
  for (const queue of [...byQueue.keys()].sort()) {
    const staff = options.staffing[queue] as QueueStaffing;
    const members = (byQueue.get(queue) as number[]).sort(
      (a, b) =>
        (conversations[a] as SimulatedConversation).arrivalSeconds -
          (conversations[b] as SimulatedConversation).arrivalSeconds || a - b,
    );
    const slots = staff.agents * staff.capacity;
    const waiting = new Heap<Waiting>((a, b) =>
      a.rank !== b.rank
        ? a.rank < b.rank
        : a.arrival !== b.arrival
          ? a.arrival < b.arrival
          : a.index < b.index,
    );
    const busyUntil = new Heap<number>((a, b) => a < b);
    let busySeconds = 0;
    let next = 0;
    const arrivalOf = (k: number) =>
      (conversations[members[k] as number] as SimulatedConversation).arrivalSeconds;
    const start = arrivalOf(0);
    let end = start;
    while (next < members.length || waiting.size > 0) {
      // After every assignment round either nobody waits or every slot is busy, so the next thing that
      // can change anything is the next arrival or (when full) the next slot to free up.
      const nextArrival = next < members.length ? arrivalOf(next) : Number.POSITIVE_INFINITY;
      const nextFree = busyUntil.size >= slots ? (busyUntil.peek() as number) : Number.POSITIVE_INFINITY;
      const now = Math.min(nextArrival, nextFree);
      while (busyUntil.size > 0 && (busyUntil.peek() as number) <= now) busyUntil.pop();
      // Everyone who arrived by now competes by band, so simultaneous arrivals are served in band order.
      while (next < members.length && arrivalOf(next) <= now) {
        const index = members[next++] as number;
        const c = conversations[index] as SimulatedConversation;
        waiting.push({ index, rank: BANDS.indexOf(c.band), arrival: c.arrivalSeconds });
      }
      while (waiting.size > 0 && busyUntil.size < slots) {
        const w = waiting.pop() as Waiting;
        const answered = now + (pickup[w.index] as number);
        const done = answered + (handle[w.index] as number);
        waits[w.index] = answered - w.arrival;
        busySeconds += done - now;
        busyUntil.push(done);
        if (done > end) end = done;
      }
    }
    utilisation[queue] = end > start ? busySeconds / (slots * (end - start)) : 0;
  }

  const bandWaits = new Map<Band, number[]>();
  const queueWaits = new Map<string, number[]>();
  conversations.forEach((c, i) => {
    const w = waits[i] as number;
    const b = bandWaits.get(c.band);
    if (b) b.push(w);
    else bandWaits.set(c.band, [w]);
    const q = queueWaits.get(c.queue);
    if (q) q.push(w);
    else queueWaits.set(c.queue, [w]);
  });
  const byBand: Partial<Record<Band, WaitStats>> = {};
  for (const band of BANDS) {
    const list = bandWaits.get(band);
    if (list) byBand[band] = summarise(list, targetSeconds);
  }
  const byQueueStats: Record<string, WaitStats> = {};
  for (const queue of [...queueWaits.keys()].sort()) {
    byQueueStats[queue] = summarise(queueWaits.get(queue) as number[], targetSeconds);
  }
  return {
    targetSeconds,
    overall: summarise(waits, targetSeconds),
    byBand,
    byQueue: byQueueStats,
    utilisation,
    waits,
  };
}
