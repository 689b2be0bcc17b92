// The vocabulary of human queues: queues (skill groups), the agents serving them with their presence and
// capacity, the offers the dispatcher makes, and the waits customers sit through. Repositories are ports.
import type { Locale } from '../model.ts';

export type QueueStrategy = 'round_robin' | 'least_busy' | 'sticky';
export const queueStrategies = ['round_robin', 'least_busy', 'sticky'] as const satisfies QueueStrategy[];
/** What happens when nobody can take the queue's conversations: keep waiting, the bot, or a call-back. */
export type OverflowPolicy = 'wait' | 'bot' | 'callback';
export const overflowPolicies = ['wait', 'bot', 'callback'] as const satisfies OverflowPolicy[];
export type AgentStatus = 'online' | 'away' | 'offline';
export const agentStatuses = ['online', 'away', 'offline'] as const satisfies AgentStatus[];
export type OfferStatus = 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn';
export type WaitOutcome = 'picked_up' | 'overflow_bot' | 'overflow_callback' | 'left';

export const DEFAULT_PICKUP_TIMEOUT_SECONDS = 30;
export const DEFAULT_CAPACITY = 3;
export const DEFAULT_AUTO_AWAY_MINUTES = 10;
export const DEFAULT_OVERFLOW_AFTER_SECONDS = 120;

export interface Queue {
  id: string;
  workspaceId: string;
  /** Slug rules and templates name: general, complaints, vip … unique per workspace. */
  key: string;
  name: string;
  /** An agent must have every one of these to serve the queue. */
  requiredSkills: string[];
  /** When set, agents must speak it. */
  language: Locale | null;
  strategy: QueueStrategy;
  pickupTimeoutSeconds: number;
  overflowPolicy: OverflowPolicy;
  /** How long a conversation may wait before the overflow policy applies (it applies at once when nobody is online). */
  overflowAfterSeconds: number;
  /** Order in the console and routing lists. */
  position: number;
  /** Round-robin cursor: the agent offered to last. */
  lastOfferedUserId: string | null;
  /** The agents who serve it (user ids); empty: every agent whose skills and languages fit. */
  memberIds: string[];
  createdAt: string;
  updatedAt: string;
}

export type QueueFields = Pick<
  Queue,
  | 'key'
  | 'name'
  | 'requiredSkills'
  | 'language'
  | 'strategy'
  | 'pickupTimeoutSeconds'
  | 'overflowPolicy'
  | 'overflowAfterSeconds'
  | 'position'
  | 'memberIds'
>;
export type NewQueue = QueueFields & { id: string; createdAt: string };
export type QueuePatch = Partial<QueueFields>;

export interface AgentProfile {
  userId: string;
  skills: string[];
  languages: Locale[];
  /** Most conversations the agent holds at once (held + outstanding offers). */
  capacity: number;
  status: AgentStatus;
  statusChangedAt: string;
  lastActivityAt: string;
  /** Away because idle, not by choice: activity brings the agent back online. */
  autoAway: boolean;
}

export interface ConversationOffer {
  id: string;
  conversationId: string;
  customerId: string;
  queueId: string | null;
  userId: string;
  status: OfferStatus;
  offeredAt: string;
  expiresAt: string;
  respondedAt: string | null;
}

export interface QueueWait {
  id: string;
  conversationId: string;
  customerId: string;
  queueId: string | null;
  startedAt: string;
  endedAt: string | null;
  outcome: WaitOutcome | null;
  announcedPosition: number | null;
  announcedWaitSeconds: number | null;
  announcedAt: string | null;
}

export interface QueueSettings {
  autoAwayMinutes: number;
  /** The template whose default queues were created; null before that. */
  seededTemplate: string | null;
}

/** A conversation waiting for a human, as the dispatcher and the inbox see it. */
export interface WaitingConversation {
  conversationId: string;
  customerId: string;
  queueId: string | null;
  priority: import('../model.ts').Priority;
  priorityScore: number;
  waitingSince: string;
}

export interface QueuesRepository {
  /** In position order. */
  list(): Promise<Queue[]>;
  get(id: string): Promise<Queue | null>;
  findByKey(key: string): Promise<Queue | null>;
  /** Null when the key is taken. */
  create(queue: NewQueue): Promise<Queue | null>;
  /** Null when missing; throws UniqueViolation when the new key is taken. */
  update(id: string, patch: QueuePatch, at: string): Promise<Queue | null>;
  delete(id: string): Promise<boolean>;
  /** Moves the round-robin cursor. */
  setLastOffered(id: string, userId: string): Promise<void>;
  settings(): Promise<QueueSettings>;
  saveSettings(patch: Partial<QueueSettings>, at: string): Promise<QueueSettings>;
  /**
   * Serialises dispatchers of one workspace until the transaction ends: SELECT … FOR UPDATE of the
   * workspace's settings row on PostgreSQL; SQLite has one writer at a time already.
   */
  lockDispatch(at: string): Promise<void>;
}

export interface AgentsRepository {
  /** Every member of the workspace's profile (defaults for those who never set one). */
  list(): Promise<AgentProfile[]>;
  get(userId: string): Promise<AgentProfile | null>;
  /** Creates the profile with defaults if missing, then applies the patch. */
  save(
    userId: string,
    patch: Partial<Omit<AgentProfile, 'userId' | 'statusChangedAt' | 'lastActivityAt'>>,
    at: string,
  ): Promise<AgentProfile>;
  /** Refreshes last activity (a throttled write); returns the profile. */
  touch(userId: string, at: string): Promise<AgentProfile>;
  /** Conversations each agent holds that are not resolved, by user id. */
  heldCounts(): Promise<Map<string, number>>;
}

export interface OffersRepository {
  create(offer: ConversationOffer): Promise<void>;
  get(id: string): Promise<ConversationOffer | null>;
  /** The conversation's outstanding offer, if any. */
  pendingFor(conversationId: string): Promise<ConversationOffer | null>;
  /** Every pending offer in the workspace. */
  pending(): Promise<ConversationOffer[]>;
  /** Agents who let this conversation's offer expire or declined it (during its current wait). */
  refusedBy(conversationId: string, since: string): Promise<string[]>;
  /** Compare-and-set from pending; false when the offer was no longer pending. */
  settle(id: string, status: Exclude<OfferStatus, 'pending'>, at: string): Promise<boolean>;
}

export interface WaitsRepository {
  /** The conversation's open wait. */
  current(conversationId: string): Promise<QueueWait | null>;
  /** The open waits of these conversations, by conversation id (one look-up for a whole line). */
  currentOf(conversationIds: readonly string[]): Promise<Map<string, QueueWait>>;
  start(
    wait: Omit<
      QueueWait,
      'endedAt' | 'outcome' | 'announcedPosition' | 'announcedWaitSeconds' | 'announcedAt'
    >,
  ): Promise<void>;
  end(conversationId: string, outcome: WaitOutcome, at: string): Promise<void>;
  announce(id: string, position: number, waitSeconds: number | null, at: string): Promise<void>;
  /** Seconds from start to pickup of the queue's latest pickups (newest first), since `since`. */
  recentPickupSeconds(queueId: string | null, since: string, limit: number): Promise<number[]>;
  /** The agent who most recently held one of the customer's conversations (the sticky strategy's pick). */
  lastAgentOf(customerId: string): Promise<string | null>;
  /** Conversations waiting for a human (waitingSince set, not held), in no particular order. */
  waiting(): Promise<WaitingConversation[]>;
}
