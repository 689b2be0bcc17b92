// The dispatcher's pure decisions: who waits first, which agents may take a conversation, and which of
// them gets it under the queue's strategy. No I/O: dispatchQueue.ts feeds these from the store.
import { priorityRank } from './awaitHuman.ts';
import type { AgentProfile, Queue, QueueStrategy, WaitingConversation } from './queues.ts';

/** Best first: priority band (urgent > high > normal > low), then priority score, then who waited longest. */
export function compareWaiting(a: WaitingConversation, b: WaitingConversation): number {
  return (
    priorityRank[b.priority] - priorityRank[a.priority] ||
    b.priorityScore - a.priorityScore ||
    a.waitingSince.localeCompare(b.waitingSince) ||
    a.conversationId.localeCompare(b.conversationId)
  );
}

export const orderWaiting = (waiting: readonly WaitingConversation[]): WaitingConversation[] =>
  [...waiting].sort(compareWaiting);

/**
 * Online and not idle: an agent whose last activity is older than the auto-away limit takes no new
 * conversations even before the auto-away job marks them away.
 */
export function isAvailable(agent: AgentProfile, now: Date, autoAwayMinutes: number): boolean {
  return (
    agent.status === 'online' && now.getTime() - Date.parse(agent.lastActivityAt) < autoAwayMinutes * 60_000
  );
}

/** Whether the agent may serve the queue at all: member (or an open queue), skills cover it, speaks it. */
export function servesQueue(agent: AgentProfile, queue: Queue): boolean {
  if (queue.memberIds.length > 0 && !queue.memberIds.includes(agent.userId)) return false;
  if (!queue.requiredSkills.every((skill) => agent.skills.includes(skill))) return false;
  return queue.language === null || agent.languages.includes(queue.language);
}

export interface Candidate {
  agent: AgentProfile;
  /** Conversations held (not resolved) plus outstanding offers. */
  load: number;
}

export interface PickContext {
  /** The round-robin cursor: the agent the queue offered to last. */
  lastOfferedUserId: string | null;
  /** The agent who last served this customer, if any. */
  stickyUserId: string | null;
  /** Member order for round-robin (user ids); agents not in it go after, by id. */
  rotation: readonly string[];
}

/** Least load first; ties go to whoever has been idle longest (oldest status change), then by id. */
function leastBusy(candidates: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (
      !best ||
      c.load < best.load ||
      (c.load === best.load &&
        (c.agent.statusChangedAt < best.agent.statusChangedAt ||
          (c.agent.statusChangedAt === best.agent.statusChangedAt && c.agent.userId < best.agent.userId)))
    )
      best = c;
  }
  return best;
}

/** The next candidate after the cursor in rotation order, wrapping around. */
function roundRobin(candidates: readonly Candidate[], ctx: PickContext): Candidate | null {
  if (candidates.length === 0) return null;
  const order = (id: string) => {
    const i = ctx.rotation.indexOf(id);
    return i === -1 ? ctx.rotation.length : i;
  };
  const sorted = [...candidates].sort(
    (a, b) => order(a.agent.userId) - order(b.agent.userId) || a.agent.userId.localeCompare(b.agent.userId),
  );
  if (ctx.lastOfferedUserId === null) return sorted[0] ?? null;
  const last = ctx.lastOfferedUserId;
  const lastKey = [order(last), last] as const;
  const after = sorted.find((c) => {
    const key = [order(c.agent.userId), c.agent.userId] as const;
    return key[0] > lastKey[0] || (key[0] === lastKey[0] && key[1] > lastKey[1]);
  });
  return after ?? sorted[0] ?? null;
}

/** The candidate the queue's strategy picks; candidates are already eligible (available, under capacity). */
export function pickAgent(
  strategy: QueueStrategy,
  candidates: readonly Candidate[],
  ctx: PickContext,
): Candidate | null {
  switch (strategy) {
    case 'round_robin':
      return roundRobin(candidates, ctx);
    case 'sticky': {
      const previous = candidates.find((c) => c.agent.userId === ctx.stickyUserId);
      return previous ?? leastBusy(candidates);
    }
    case 'least_busy':
      return leastBusy(candidates);
  }
}
