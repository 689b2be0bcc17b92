// Stores the API messages that were acknowledged before being stored (`Prefer: respond-async`): takes
// the oldest held messages of every workspace, stores each through the same `receiveCustomerMessage` as
// every other channel (under the id its acknowledgement promised), and forgets it once stored. One
// process drains at a time (a lease in the database, taken again at each batch, so a crashed holder's
// lease runs out and another process carries on); within a batch each sender's messages are stored in
// order, different senders side by side, which lets SQLite's group commit share one sync among them.
//
// A message that cannot be stored (its inbox gone, a key not loaded) stays held and is tried again with
// backoff, and so are the sender's later messages, so they never overtake it. Nothing held is dropped.
import { randomUUID } from 'node:crypto';
import {
  type Clock,
  intakeChainKey,
  intakeChains,
  type ReceiveCustomerMessageInput,
  retryDelayMs,
} from '@zhike/core';
import type { Database, HeldMessage } from '@zhike/db';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';

export const INTAKE_LEASE = 'inbound.intake';

/**
 * While messages keep arriving, the drain pauses after each batch for this many times as long as the
 * batch took: it gets a third of the process, accepting the rest. Holding is what a sender waits for;
 * storing can catch up once the burst is over (at full speed, since nothing arrives to pause for).
 */
const PAUSE_PER_BUSY = 4;

export interface IntakeDrain {
  start(): void;
  /** A message was just held here: drain now instead of at the next poll. */
  wake(): void;
  /** Stores what is held and due now (if this process holds the lease); how many were stored. */
  drainNow(): Promise<number>;
  /** Messages held, as last counted plus those this process held since. */
  held(): number;
  /** Counts one message this process just held. */
  noteHeld(): void;
  /** Stops after the batch in flight and gives the lease up; what is still held stays for the next. */
  stop(): Promise<void>;
}

export interface IntakeDrainDeps {
  db: Database;
  commands: Pick<Commands, 'receiveCustomerMessage'>;
  clock: Clock;
  log: Logger;
  /** How often an idle drain looks for messages other processes held (ms). */
  pollMs?: number;
  /** Messages per batch. */
  batchSize?: number;
  /** Senders stored side by side within a batch. */
  parallel?: number;
  leaseMs?: number;
  owner?: string;
}

interface Opened {
  row: HeldMessage;
  input: ReceiveCustomerMessageInput;
}

export function createIntakeDrain(deps: IntakeDrainDeps): IntakeDrain {
  const pollMs = deps.pollMs ?? 1000;
  const batchSize = deps.batchSize ?? 64;
  const parallel = deps.parallel ?? 32;
  // Renewed at every batch and every idle poll (1 s), so a live holder never loses it; a crashed one
  // holds up the others for at most this long.
  const leaseMs = deps.leaseMs ?? 10_000;
  const owner = deps.owner ?? `intake:${randomUUID()}`;
  /** Messages this process held since it started: whether any arrived during a batch, and since a count. */
  let heldEver = 0;
  let counted = 0;
  let heldEverAtCount = 0;
  let countedAt = 0;
  let running = false;
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let pendingWake = false;
  let inFlight: Promise<number> | null = null;

  const iso = (ms: number) => new Date(ms).toISOString();

  async function recount(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - countedAt < 1000) return;
    countedAt = now;
    heldEverAtCount = heldEver;
    counted = (await deps.db.intake.depth()).held;
  }

  async function postpone(items: readonly Opened[] | readonly HeldMessage[], error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    for (const item of items) {
      const row = 'row' in item ? item.row : item;
      const retryAt = iso(deps.clock.now().getTime() + retryDelayMs(row.attempts + 1));
      deps.log.warn(
        { seq: row.seq, workspaceId: row.workspaceId, attempts: row.attempts + 1, retryAt, err: message },
        'held API message not stored yet; tried again later',
      );
      await deps.db.intake.postpone(row.seq, message, retryAt);
    }
  }

  /** Stores one sender's messages in order; on the first failure, it and the rest wait for a retry. */
  async function storeChain(chain: readonly Opened[], stored: number[]): Promise<void> {
    for (let i = 0; i < chain.length; i++) {
      const { row, input } = chain[i] as Opened;
      try {
        await deps.commands.receiveCustomerMessage(row.workspaceId, { ...input, messageId: row.messageId });
        stored.push(row.seq);
      } catch (error) {
        await postpone(chain.slice(i), error);
        return;
      }
    }
  }

  async function drainBatch(): Promise<number> {
    const now = deps.clock.now().getTime();
    if (!(await deps.db.intake.lease(INTAKE_LEASE, owner, iso(now), iso(now + leaseMs)))) return 0;
    const rows = await deps.db.intake.due(iso(now), batchSize);
    if (rows.length === 0) return 0;
    const opened: Opened[] = [];
    for (const row of rows) {
      try {
        opened.push({ row, input: await deps.db.forWorkspace(row.workspaceId).intake.open(row.payload) });
      } catch (error) {
        await postpone([row], error);
      }
    }
    const chains = intakeChains(opened, (o) => `${o.row.workspaceId}\u0000${intakeChainKey(o.input)}`);
    const stored: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(parallel, chains.length) }, async () => {
        while (next < chains.length) await storeChain(chains[next++] as Opened[], stored);
      }),
    );
    await deps.db.intake.remove(stored);
    return stored.length;
  }

  /** Batches until nothing due is left; one caller at a time. */
  function drainNow(): Promise<number> {
    if (inFlight) return inFlight;
    inFlight = (async () => {
      let total = 0;
      try {
        for (;;) {
          const heldBefore = heldEver;
          const started = performance.now();
          const n = await drainBatch();
          total += n;
          if (n === 0 || stopping) break;
          // Storing must not starve accepting: while messages arrive, leave the process to them for a while.
          const busy = performance.now() - started;
          // Holds that waited for the database while the batch wrote finish first; then, if any came,
          // messages are arriving.
          await new Promise((r) => setImmediate(r));
          const pause = heldEver > heldBefore ? busy * PAUSE_PER_BUSY : 0;
          if (pause > 0) await new Promise((r) => setTimeout(r, pause));
        }
        await recount(total > 0);
      } finally {
        inFlight = null;
      }
      return total;
    })();
    return inFlight;
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        await drainNow();
      } catch (error) {
        deps.log.error({ err: error }, 'intake drain failed; retrying at the next poll');
      }
      if (!running) break;
      if (pendingWake) {
        pendingWake = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          wakeUp = null;
          resolve();
        }
        wakeUp = done;
      });
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      pendingWake = true;
      wakeUp?.();
    },
    async drainNow() {
      // A pass already under way may have read the rows before the caller's message was held.
      await inFlight?.catch(() => {});
      return drainNow();
    },
    held: () => counted + (heldEver - heldEverAtCount),
    noteHeld() {
      heldEver++;
    },
    async stop() {
      running = false;
      stopping = true;
      wakeUp?.();
      await loop?.catch(() => {});
      await inFlight?.catch(() => {});
      await deps.db.intake.release(INTAKE_LEASE, owner).catch(() => {});
    },
  };
}
