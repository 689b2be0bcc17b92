// Keeps the agent-metrics history and the KPI rollups: every process hears the domain events and records
// what metrics need (see core recordConversationActivity and recordRollups). Events are handled one at a
// time, in the order they arrive, so a reply is measured against the assignment published just before
// it; a repeat from another process writes nothing. Best effort like every listener: a failure is logged
// and the next event goes on.
import {
  activityEventNames,
  type DomainEvent,
  type EventBus,
  recordActivityRollups,
  recordConversationActivity,
  recordEventRollups,
  rollupEventNames,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';

export interface ActivityListener {
  /** Stops listening and waits for the event being recorded. */
  stop(): Promise<void>;
}

const activityEvents: ReadonlySet<string> = new Set(activityEventNames);
const rollupEvents: ReadonlySet<string> = new Set(rollupEventNames);
/** Event claims are kept two days (no event is redelivered later), pruned at most hourly per workspace. */
const CLAIMS_KEPT_MS = 2 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

export function startActivityListener(deps: { db: Database; bus: EventBus; log: Logger }): ActivityListener {
  let chain: Promise<void> = Promise.resolve();
  const pruned = new Map<string, number>();
  const record = async (event: DomainEvent) => {
    const store = deps.db.forWorkspace(event.workspaceId);
    try {
      if (activityEvents.has(event.name)) {
        const activity = await recordConversationActivity({ store }, event);
        if (activity) await recordActivityRollups({ store }, activity);
      }
      if (rollupEvents.has(event.name)) await recordEventRollups({ store }, event);
      const now = Date.now();
      if (now - (pruned.get(event.workspaceId) ?? 0) > PRUNE_EVERY_MS) {
        pruned.set(event.workspaceId, now);
        await store.metricRollups.pruneClaims(new Date(now - CLAIMS_KEPT_MS).toISOString());
      }
    } catch (err) {
      deps.log.warn({ err, event: event.name }, 'metrics: event not recorded');
    }
  };
  const unsubscribe = deps.bus.subscribe((event) => {
    if (!activityEvents.has(event.name) && !rollupEvents.has(event.name)) return;
    chain = chain.then(() => record(event));
    // The in-process bus waits for this, so a request's own activity is recorded before it answers.
    return chain;
  });
  return {
    async stop() {
      unsubscribe();
      await chain;
    },
  };
}
