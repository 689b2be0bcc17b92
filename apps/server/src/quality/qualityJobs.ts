// The `quality.inspect` job: scores the conversation or call against the workspace's current ruleset,
// stores the result and queues it for review when low or drawn (see core quality/inspectSubject.ts).
import { type Clock, inspectSubject, type JobPayloads, type TextAnalysis } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { JobHandler } from '../jobs/worker.ts';

export function qualityJobHandlers(deps: {
  db: Database;
  clock: Clock;
  newId: () => string;
  log: Logger;
  analysis: TextAnalysis;
  /** Uniform in [0, 1) for the random review sample; tests fix it. */
  draw?: () => number;
}): Record<'quality.inspect', JobHandler> {
  return {
    'quality.inspect': async (job) => {
      const p = job.payload as JobPayloads['quality.inspect'];
      const outcome = await inspectSubject(
        {
          store: deps.db.forWorkspace(p.workspaceId),
          clock: deps.clock,
          newId: deps.newId,
          analysis: deps.analysis,
          draw: deps.draw ?? Math.random,
        },
        { subject: p.subject, subjectId: p.subjectId, endedAt: p.endedAt },
      );
      if (outcome)
        deps.log.debug(
          { subject: p.subject, subjectId: p.subjectId, score: outcome.result.score },
          'quality result stored',
        );
    },
  };
}
