// Messages acknowledged before they are stored: an integrator that asks for it (`Prefer: respond-async`)
// gets its answer once the message is durably held, and the drain stores held messages later through
// `receiveCustomerMessage`, in the order they were accepted. Messages from one sender in one inbox form a
// chain that is stored strictly in order; different chains may be stored side by side.
import type { ReceiveCustomerMessageInput } from './receiveCustomerMessage.ts';

/** A customer message held for the drain; `messageId` is the id it will be stored under. */
export interface HeldInbound {
  messageId: string;
  input: ReceiveCustomerMessageInput;
  acceptedAt: string;
}

export interface IntakeRepository {
  /**
   * Holds the message under its inbox and idempotency key. A key already held answers the held
   * message's id with `duplicate` (a resend before the drain stored the first one).
   */
  hold(entry: HeldInbound): Promise<{ messageId: string; duplicate: boolean }>;
  /** The message already stored under this inbox and key (by the drain, or sent without the header). */
  findStored(
    inboxId: string,
    idempotencyKey: string,
  ): Promise<{ messageId: string; conversationId: string } | null>;
  /** The message a held row carries (sealed with the workspace key while held). */
  open(payload: string): Promise<ReceiveCustomerMessageInput>;
}

/** Messages with the same chain key are stored one after another, in the order they were accepted. */
export function intakeChainKey(input: ReceiveCustomerMessageInput): string {
  return `${input.inboxId}\u0000${input.identity.kind}\u0000${input.identity.value}`;
}

/**
 * Splits messages (oldest first) into chains: each chain keeps its members' order, and a chain starts as
 * soon as its first member is reached, so no message waits for an unrelated sender's.
 */
export function intakeChains<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const chains = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const chain = chains.get(key);
    if (chain) chain.push(item);
    else chains.set(key, [item]);
  }
  return [...chains.values()];
}
