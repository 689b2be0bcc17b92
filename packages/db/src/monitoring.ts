// Cross-workspace totals for the operator's /metrics: counts only, never an id or anything of a tenant's,
// each one aggregate query answered from an index (never a loop over workspaces).
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/** Conversations waiting for an agent now, in every workspace. */
export interface WaitingForAgents {
  /** In line with no agent offered them yet. */
  waiting: number;
  /** Offered to an agent who has not answered the offer yet. */
  offered: number;
  /** When the longest wait began; null when nobody waits. */
  oldestSince: string | null;
}

export interface Monitoring {
  waitingForAgents(): Promise<WaitingForAgents>;
}

export function createMonitoring(kysely: Kysely<DB>): Monitoring {
  return {
    async waitingForAgents() {
      // The same "waiting" as the inbox's line (queueWaits.waiting), over the partial index of 0040; the
      // pending-offer check is one index probe per waiting conversation.
      const row = await kysely
        .selectFrom('conversations as c')
        .select((eb) => [
          eb.fn.countAll().as('total'),
          eb.fn.min('c.waitingSince').as('oldest'),
          eb.fn
            .sum<number | string | null>(
              eb
                .case()
                .when(
                  eb.exists(
                    eb
                      .selectFrom('conversationOffers as o')
                      .select(sql.lit(1).as('one'))
                      .whereRef('o.workspaceId', '=', 'c.workspaceId')
                      .whereRef('o.conversationId', '=', 'c.id')
                      .where('o.status', '=', 'pending'),
                  ),
                )
                // Literals, not parameters: PostgreSQL cannot type a bare parameter inside sum(case…).
                .then(sql.lit(1))
                .else(sql.lit(0))
                .end(),
            )
            .as('offered'),
        ])
        .where('c.waitingSince', 'is not', null)
        .where('c.assigneeId', 'is', null)
        .where('c.status', '!=', 'resolved')
        .executeTakeFirstOrThrow();
      const total = Number(row.total);
      const offered = Number(row.offered ?? 0);
      return { waiting: total - offered, offered, oldestSince: row.oldest ?? null };
    },
  };
}
