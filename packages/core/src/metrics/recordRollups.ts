// Listener use cases: the domain events (and the agent-metrics rows they produce) counted into the hourly
// KPI rollups. Every fact is claimed by a key before it is added, so an event several processes hear,
// or one delivered twice, is counted once. Facts belong to the hour they happened in, with the
// conversation's channel, team (queue) and intent (the first intent the bot recognised in it).
import type { DomainEvent } from '../events.ts';
import type { Conversation } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';
import type { ConversationActivity } from './conversationActivity.ts';
import {
  type FactSubject,
  hourOf,
  NO_DIMS,
  type RollupDims,
  type RollupIncrement,
  type RollupMetric,
} from './kpi.ts';
import { workspaceTimeZone } from './timeZone.ts';

/** The events counted directly; the agent-metrics rows add the human side (see recordActivityRollups). */
export const rollupEventNames = [
  'conversation.created',
  'message.created',
  'conversation.rated',
  'complaint.opened',
  'complaint.closed',
  'ticket.status_changed',
  'ticket.sla_breached',
] as const satisfies readonly DomainEvent['name'][];

/** A customer who comes back on the same intent within this long was not resolved at first contact. */
export const FCR_WINDOW_MS = 7 * 86_400_000;
/** Messages looked back over to tell the bot's first answer from its later ones. */
const FIRST_ANSWER_LOOKBACK = 50;
const SOLVED = new Set(['solved', 'closed']);

type Store = WorkspaceRepositories;

const one = (
  metric: RollupMetric,
  at: string,
  dims: RollupDims,
  total = 0,
  subject?: FactSubject,
): RollupIncrement => ({
  metric,
  hour: hourOf(at),
  count: 1,
  total: Math.max(0, Math.round(total)),
  ...dims,
  ...(subject ? { subject } : {}),
});

const aboutConversation = (id: string): FactSubject => ({ kind: 'conversation', id, conversationId: id });

/** A ticket's dimensions (from its conversation, when it has one) and the subject its facts drill to. */
async function ticketFact(store: Store, ticketId: string, agentId: string | null) {
  const ticket = await store.tickets.get(ticketId);
  const conversation = ticket?.conversationId ? await store.conversations.get(ticket.conversationId) : null;
  const dims = conversation
    ? await dimsOf(store, conversation, agentId ?? ticket?.assigneeId ?? '')
    : { ...NO_DIMS, agentId: agentId ?? ticket?.assigneeId ?? '' };
  const subject: FactSubject = {
    kind: 'ticket',
    id: ticketId,
    conversationId: ticket?.conversationId ?? null,
  };
  return { dims, subject };
}

async function complaintFact(store: Store, complaintId: string) {
  const complaint = await store.complaints.get(complaintId);
  const conversation = complaint?.conversationId
    ? await store.conversations.get(complaint.conversationId)
    : null;
  const dims = conversation ? await dimsOf(store, conversation) : NO_DIMS;
  const subject: FactSubject = {
    kind: 'complaint',
    id: complaintId,
    conversationId: complaint?.conversationId ?? null,
  };
  return { dims, subject };
}

/** The first intent (or FAQ) the bot recognised in the conversation, '' when none. */
async function intentOf(store: Store, conversationId: string): Promise<string> {
  return (await store.botTurns.firstTarget(conversationId)) ?? '';
}

async function dimsOf(store: Store, conversation: Conversation, agentId = ''): Promise<RollupDims> {
  return {
    channel: conversation.channel,
    queueId: conversation.queueId ?? '',
    agentId,
    intent: await intentOf(store, conversation.id),
  };
}

export async function recordEventRollups(deps: { store: Store }, event: DomainEvent): Promise<void> {
  const { store } = deps;
  const at = event.occurredAt;
  const apply = async (key: string, increments: RollupIncrement[]) =>
    increments.length > 0 && store.metricRollups.apply(key, increments, at, await workspaceTimeZone(store));
  switch (event.name) {
    case 'conversation.created': {
      const conversation = await store.conversations.get(event.conversationId);
      if (!conversation) return;
      await apply(`conversation:${event.conversationId}`, [
        one('conversations', at, { ...NO_DIMS, channel: conversation.channel }),
      ]);
      return;
    }
    case 'message.created': {
      if (event.author !== 'bot') return;
      const earlier = await store.messages.list(event.conversationId, {
        before: event.messageId,
        limit: FIRST_ANSWER_LOOKBACK,
      });
      if (earlier.some((m) => m.author === 'bot')) return;
      const [conversation, message] = await Promise.all([
        store.conversations.get(event.conversationId),
        store.messages.get(event.messageId),
      ]);
      if (!conversation || !message) return;
      const asked = earlier.find((m) => m.author === 'customer')?.createdAt ?? conversation.createdAt;
      await apply(`ai_first_response:${event.conversationId}`, [
        one(
          'ai_first_response',
          message.createdAt,
          await dimsOf(store, conversation),
          Date.parse(message.createdAt) - Date.parse(asked),
          aboutConversation(conversation.id),
        ),
      ]);
      return;
    }
    case 'conversation.rated': {
      const conversation = await store.conversations.get(event.conversationId);
      const dims = conversation ? await dimsOf(store, conversation) : NO_DIMS;
      await apply(`rated:${event.conversationId}:${at}`, [
        one('csat', at, dims, event.score, aboutConversation(event.conversationId)),
        ...(event.score >= 4 ? [one('csat_satisfied', at, dims)] : []),
      ]);
      return;
    }
    case 'complaint.opened': {
      const { dims, subject } = await complaintFact(store, event.complaintId);
      await apply(`complaint_opened:${event.complaintId}`, [one('complaint_opened', at, dims, 0, subject)]);
      return;
    }
    case 'complaint.closed': {
      const { dims, subject } = await complaintFact(store, event.complaintId);
      await apply(`complaint_closed:${event.complaintId}`, [one('complaint_closed', at, dims, 0, subject)]);
      return;
    }
    case 'ticket.status_changed':
      if (SOLVED.has(event.to) && !SOLVED.has(event.from)) {
        const { dims, subject } = await ticketFact(store, event.ticketId, null);
        await apply(`ticket_solved:${event.ticketId}:${at}`, [one('tickets_solved', at, dims, 0, subject)]);
      }
      return;
    case 'ticket.sla_breached': {
      // A ticket missing two targets (first response and resolution) missed its SLA once.
      const { dims, subject } = await ticketFact(store, event.ticketId, event.assigneeId);
      await apply(`sla_breached:${event.ticketId}`, [one('sla_breached', at, dims, 0, subject)]);
      return;
    }
    default:
      return;
  }
}

/** The human side, from the agent-metrics rows as they are recorded (each recorded once). */
export async function recordActivityRollups(
  deps: { store: Store },
  activity: ConversationActivity,
): Promise<void> {
  const { store } = deps;
  const conversation = await store.conversations.get(activity.conversationId);
  if (!conversation) return;
  const key = `activity:${activity.conversationId}:${activity.kind}:${activity.at}`;
  const increments: RollupIncrement[] = [];
  switch (activity.kind) {
    case 'first_reply': {
      const dims = await dimsOf(store, conversation, activity.userId ?? '');
      increments.push(one('human_first_response', activity.at, dims, activity.durationMs ?? 0));
      break;
    }
    case 'assigned': {
      if (!activity.userId) return;
      // The wait of the episode's first pick-up: from when it started waiting to this assignment.
      const history = await store.agentMetrics.activity(activity.conversationId);
      const before = history.filter((r) => r.at <= activity.at && r !== activity);
      const lastWaiting = before.findLast((r) => r.kind === 'waiting' || r.kind === 'reopened');
      if (!lastWaiting) return;
      const pickedSince = before.some(
        (r) => r.kind === 'assigned' && r.userId && r.at >= lastWaiting.at && r.at < activity.at,
      );
      if (pickedSince) return;
      const dims = await dimsOf(store, conversation, activity.userId);
      increments.push(
        one('pickup_wait', activity.at, dims, Date.parse(activity.at) - Date.parse(lastWaiting.at)),
      );
      break;
    }
    case 'resolved': {
      const dims = await dimsOf(store, conversation, activity.userId ?? '');
      increments.push(one('resolved', activity.at, dims));
      const human =
        conversation.handedOff || (await store.messages.countByAuthor(activity.conversationId, 'agent')) > 0;
      if (!human) increments.push(one('contained', activity.at, dims));
      if (activity.durationMs !== null)
        increments.push(one('handle_time', activity.at, dims, activity.durationMs));
      break;
    }
    default:
      return;
  }
  await store.metricRollups.apply(key, increments, activity.at, await workspaceTimeZone(store));
}

/**
 * A bot turn, counted in the transaction that records it. The conversation's first recognised intent
 * also settles first-contact resolution: when the same customer's last conversation was resolved
 * within 7 days on this intent, that one did not resolve the matter.
 */
export async function recordBotTurnRollups(
  store: Store,
  turn: {
    conversation: Conversation;
    messageId: string;
    outcome: string;
    target: string | null;
    at: string;
  },
): Promise<void> {
  const { conversation } = turn;
  const intent = (await intentOf(store, conversation.id)) || (turn.target ?? '');
  const dims: RollupDims = {
    channel: conversation.channel,
    queueId: conversation.queueId ?? '',
    agentId: '',
    intent,
  };
  const zone = await workspaceTimeZone(store);
  await store.metricRollups.apply(
    `bot_turn:${turn.messageId}`,
    [
      one('bot_turns', turn.at, dims),
      ...(turn.outcome === 'fallback' ? [one('bot_fallbacks', turn.at, dims)] : []),
    ],
    turn.at,
    zone,
  );
  if (!turn.target || intent !== turn.target) return;
  const since = Date.parse(turn.at) - FCR_WINDOW_MS;
  const earlier = (await store.conversations.listByCustomer(conversation.customerId))
    .filter(
      (c) =>
        c.id !== conversation.id &&
        c.status === 'resolved' &&
        Date.parse(c.updatedAt) >= since &&
        c.updatedAt <= turn.at,
    )
    .at(-1);
  if (!earlier || (await intentOf(store, earlier.id)) !== turn.target) return;
  await store.metricRollups.apply(
    `repeat:${earlier.id}`,
    [
      one('repeat_contact', earlier.updatedAt, {
        channel: earlier.channel,
        queueId: earlier.queueId ?? '',
        agentId: '',
        intent: turn.target,
      }),
    ],
    turn.at,
    zone,
  );
}
