// Agents' presence: the status an agent chooses, activity that keeps them online, and auto-away after
// the workspace's idle minutes. Changing status never takes away conversations an agent already holds;
// it only decides whether new ones are offered.
import type { DomainEvent } from '../events.ts';
import type { NewJob, UseCaseDeps } from '../ports.ts';
import { dispatchJob } from './pickUp.ts';
import type { AgentProfile, AgentStatus } from './queues.ts';

/** Activity is written at most this often per agent (every API call and socket frame would be too much). */
export const ACTIVITY_WRITE_INTERVAL_MS = 30_000;

const autoAwayJob = (workspaceId: string, profile: AgentProfile, minutes: number): NewJob => ({
  name: 'queue.auto_away',
  payload: { workspaceId, userId: profile.userId },
  runAt: new Date(Date.parse(profile.lastActivityAt) + minutes * 60_000).toISOString(),
  idempotencyKey: `queue.auto_away:${profile.userId}:${profile.lastActivityAt}`,
});

const statusEvent = (workspaceId: string, at: string, userId: string, status: AgentStatus): DomainEvent => ({
  name: 'agent.status_changed',
  workspaceId,
  occurredAt: at,
  userId,
  status,
});

export async function setAgentStatus(
  deps: UseCaseDeps,
  input: { userId: string; status: AgentStatus },
): Promise<{ profile: AgentProfile; events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const at = deps.clock.now().toISOString();
    const before = await tx.agents.get(input.userId);
    const profile = await tx.agents.save(input.userId, { status: input.status, autoAway: false }, at);
    const events: DomainEvent[] = [];
    if (before?.status !== input.status)
      events.push(statusEvent(deps.store.workspaceId, at, input.userId, input.status));
    if (input.status === 'online') {
      const { autoAwayMinutes } = await tx.queues.settings();
      await tx.jobs.enqueue(autoAwayJob(deps.store.workspaceId, profile, autoAwayMinutes));
      // A new pair of hands: offer what is waiting.
      await tx.jobs.enqueue(dispatchJob(deps.store.workspaceId, `online:${input.userId}:${at}`, at));
    }
    return { profile, events };
  });
}

/**
 * The agent did something (console socket frame, API call): refresh last activity, at most every 30 s, and
 * bring back an agent who was made away for idleness.
 */
export async function recordAgentActivity(
  deps: UseCaseDeps,
  input: { userId: string },
): Promise<{ events: DomainEvent[] }> {
  const now = deps.clock.now();
  const profile = await deps.store.agents.get(input.userId);
  if (!profile) return { events: [] };
  const stale = now.getTime() - Date.parse(profile.lastActivityAt) >= ACTIVITY_WRITE_INTERVAL_MS;
  const returning = profile.status === 'away' && profile.autoAway;
  if (!stale && !returning) return { events: [] };
  return deps.store.transaction(async (tx) => {
    const at = now.toISOString();
    const events: DomainEvent[] = [];
    let current = await tx.agents.touch(input.userId, at);
    if (current.status === 'away' && current.autoAway) {
      current = await tx.agents.save(input.userId, { status: 'online', autoAway: false }, at);
      events.push(statusEvent(deps.store.workspaceId, at, input.userId, 'online'));
      await tx.jobs.enqueue(dispatchJob(deps.store.workspaceId, `online:${input.userId}:${at}`, at));
    }
    if (current.status === 'online') {
      const { autoAwayMinutes } = await tx.queues.settings();
      await tx.jobs.enqueue(autoAwayJob(deps.store.workspaceId, current, autoAwayMinutes));
    }
    return { events };
  });
}

/** The auto-away job: an online agent idle for the workspace's minutes becomes away (holding on to chats). */
export async function applyAutoAway(
  deps: UseCaseDeps,
  input: { userId: string },
): Promise<{ events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const profile = await tx.agents.get(input.userId);
    if (profile?.status !== 'online') return { events: [] };
    const { autoAwayMinutes } = await tx.queues.settings();
    if (now.getTime() - Date.parse(profile.lastActivityAt) < autoAwayMinutes * 60_000) return { events: [] };
    const at = now.toISOString();
    await tx.agents.save(input.userId, { status: 'away', autoAway: true }, at);
    return { events: [statusEvent(deps.store.workspaceId, at, input.userId, 'away')] };
  });
}
