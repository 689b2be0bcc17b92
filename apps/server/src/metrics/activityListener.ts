// Keeps the agent-metrics history: every process hears the domain events and records what metrics need
// (see core recordConversationActivity). Events are handled one at a time, in the order they arrive, so a
// reply is measured against the assignment published just before it; a repeat from another process
// writes nothing. Best effort like every listener: a failure is logged and the next event goes on.
import { activityEventNames, type DomainEvent, type EventBus, recordConversationActivity } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';

export interface ActivityListener {
  /** Stops listening and waits for the event being recorded. */
  stop(): Promise<void>;
}

const relevant: ReadonlySet<string> = new Set(activityEventNames);

export function startActivityListener(deps: { db: Database; bus: EventBus; log: Logger }): ActivityListener {
  let chain: Promise<void> = Promise.resolve();
  const record = async (event: DomainEvent) => {
    try {
      await recordConversationActivity({ store: deps.db.forWorkspace(event.workspaceId) }, event);
    } catch (err) {
      deps.log.warn({ err, event: event.name }, 'agent metrics: activity not recorded');
    }
  };
  const unsubscribe = deps.bus.subscribe((event) => {
    if (!relevant.has(event.name)) return;
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
