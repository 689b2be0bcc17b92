// The append-only history agent metrics are computed from: what happened to a conversation on its way
// through human hands (it started waiting, was assigned, got its first agent reply, was resolved or
// reopened). Rows are written by a listener on the domain events; the two measured rows carry their
// duration so the aggregates are plain sums that SQLite and PostgreSQL compute alike.
import type { AgentStatus } from '../queues/queues.ts';

export const activityKinds = ['waiting', 'assigned', 'reopened', 'first_reply', 'resolved'] as const;
/**
 * waiting: handed off or queued for a human; assigned: given to an agent (userId) or back to the queue
 * (userId null); reopened: a resolved conversation was opened again; first_reply: the first agent message
 * of a human episode (userId: who wrote it; durationMs: first response time); resolved: ended (userId: the
 * assignee then, if any; durationMs: handle time, when there was one).
 */
export type ActivityKind = (typeof activityKinds)[number];

export interface ConversationActivity {
  conversationId: string;
  kind: ActivityKind;
  userId: string | null;
  /** The conversation's queue when the row was written (per-team metrics group by it). */
  queueId: string | null;
  at: string;
  /** first_reply: when the customer started waiting; resolved: when the handling agent took it. */
  startedAt: string | null;
  durationMs: number | null;
}

/** An agent's presence as it changed (online, away, offline), oldest first. */
export interface PresenceChange {
  userId: string;
  status: AgentStatus;
  at: string;
}

const span = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

/**
 * The rows of the conversation's current human episode: everything after its last resolution. A
 * conversation resolved and reopened is measured again from the reopening.
 */
export function currentEpisode(history: readonly ConversationActivity[]): ConversationActivity[] {
  let last = -1;
  history.forEach((row, i) => {
    if (row.kind === 'resolved') last = i;
  });
  return history.slice(last + 1);
}

/**
 * The first response of the current episode, when `reply` is its first agent message: measured from the
 * moment the customer started waiting for a human (hand-off, queueing or reopening); when none of those
 * happened (an agent stepped into a bot conversation), from `customerWaitingSince`, the oldest customer
 * message the agent answers. Null when the episode already had its first reply or nobody was waiting.
 */
export function firstResponseOf(
  history: readonly ConversationActivity[],
  reply: { at: string },
  customerWaitingSince: string | null,
): { startedAt: string; durationMs: number } | null {
  const episode = currentEpisode(history);
  if (episode.some((r) => r.kind === 'first_reply')) return null;
  // ISO instants sort as text: the earliest opening of the episode.
  const opened = episode
    .filter((r) => r.kind === 'waiting' || r.kind === 'reopened')
    .map((r) => r.at)
    .sort();
  const startedAt = opened[0] ?? customerWaitingSince;
  if (!startedAt || startedAt > reply.at) return null;
  return { startedAt, durationMs: span(startedAt, reply.at) };
}

/**
 * Who handled the conversation up to its resolution and for how long: the assignee of the latest
 * assignment, from that assignment (or from the episode's reopening, when the agent kept it across a
 * resolution). Null when nobody was assigned at the end (the bot, or an unassigned resolve).
 */
export function handleTimeOf(
  history: readonly ConversationActivity[],
  resolvedAt: string,
): { userId: string; startedAt: string; durationMs: number } | null {
  const assignment = [...history].reverse().find((r) => r.kind === 'assigned');
  if (!assignment?.userId || assignment.at > resolvedAt) return null;
  const episode = currentEpisode(history);
  // Kept across an earlier resolution: this episode's handling began when it reopened (or at that
  // resolution, if it was never marked reopened), not at the old assignment.
  const opened = episode.find((r) => r.kind === 'reopened' || r.kind === 'waiting')?.at;
  const lastResolved = history[history.length - episode.length - 1]?.at;
  const startedAt = episode.includes(assignment) ? assignment.at : (opened ?? lastResolved ?? assignment.at);
  return { userId: assignment.userId, startedAt, durationMs: span(startedAt, resolvedAt) };
}

/**
 * The oldest customer message of the run the agent is answering: the customer's messages after the last
 * bot or agent message. `messages` are oldest first and end before the reply; system notices (hand-off
 * texts) neither start nor end a run.
 */
export function customerWaitingSince(
  messages: readonly { author: string; createdAt: string }[],
): string | null {
  let since: string | null = null;
  for (const m of messages) {
    if (m.author === 'customer') since ??= m.createdAt;
    else if (m.author === 'agent' || m.author === 'bot') since = null;
  }
  return since;
}

/**
 * Seconds each agent was online within [from, to), from their presence changes: `changes` hold, per
 * agent, the last change before `from` (the state the range opens in) and every change inside it. Time
 * after `now` does not count (today is not over yet).
 */
export function onlineSeconds(
  changes: readonly PresenceChange[],
  window: { from: string; to: string; now: string },
): Map<string, number> {
  const end = Math.min(Date.parse(window.to), Date.parse(window.now));
  const start = Date.parse(window.from);
  const byUser = new Map<string, PresenceChange[]>();
  for (const c of changes) byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c]);
  const result = new Map<string, number>();
  for (const [userId, list] of byUser) {
    const sorted = [...list].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    let ms = 0;
    sorted.forEach((change, i) => {
      if (change.status !== 'online') return;
      const next = sorted[i + 1];
      const a = Math.max(start, Date.parse(change.at));
      const b = Math.min(end, next ? Date.parse(next.at) : end);
      if (b > a) ms += b - a;
    });
    result.set(userId, Math.round(ms / 1000));
  }
  return result;
}
