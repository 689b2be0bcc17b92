// Conversation activity and agent presence (migration 0021) and the sums agent metrics are built from,
// confined to the scope's workspace. Like the bot analytics: timestamps are ISO-8601 UTC text compared
// as text, local days are half-open bounds from the caller, durations are stored so SQL only adds.
import type {
  ActivityKind,
  ActivityTotals,
  AgentMetricsRepository,
  AgentStatus,
  BotAnalyticsRange,
  ConversationActivity,
} from '@zhike/core';
import { sql } from 'kysely';
import type { Scope } from './scope.ts';

export interface ConversationActivityTable {
  workspaceId: string;
  conversationId: string;
  kind: string;
  userId: string | null;
  queueId: string | null;
  at: string;
  startedAt: string | null;
  durationMs: number | string | null;
}

export interface AgentPresenceChangesTable {
  workspaceId: string;
  userId: string;
  status: string;
  at: string;
}

const count = (value: unknown): number => Number(value ?? 0);

export function agentMetricsRepository(s: Scope): AgentMetricsRepository {
  const bounds = (range: BotAnalyticsRange) => {
    const first = range.days[0];
    const last = range.days[range.days.length - 1];
    if (!first || !last) throw new RangeError('a metrics range has at least one day');
    return { from: first.start, to: last.end };
  };

  /** The measured rows of the range: first replies, and resolutions an agent handled. */
  const measured = (range: BotAnalyticsRange, userId: string | undefined) => {
    const { from, to } = bounds(range);
    let q = s.db
      .selectFrom('conversationActivity as a')
      .where('a.workspaceId', '=', s.workspaceId)
      .where('a.kind', 'in', ['first_reply', 'resolved'])
      .where('a.userId', 'is not', null)
      .where('a.durationMs', 'is not', null)
      .where('a.at', '>=', from)
      .where('a.at', '<', to);
    if (userId) q = q.where('a.userId', '=', userId);
    return q;
  };
  const when = (kind: ActivityKind, then: ReturnType<typeof sql>) =>
    sql<number>`sum(case when ${sql.ref('a.kind')} = ${kind} then ${then} else 0 end)`;
  const totals = [
    when('first_reply', sql.lit(1)).as('firstResponses'),
    when('first_reply', sql.ref('a.durationMs')).as('firstResponseMs'),
    when('resolved', sql.lit(1)).as('handled'),
    when('resolved', sql.ref('a.durationMs')).as('handleMs'),
  ] as const;
  const toTotals = (r: Record<string, unknown>): ActivityTotals => ({
    firstResponses: count(r.firstResponses),
    firstResponseMs: count(r.firstResponseMs),
    handled: count(r.handled),
    handleMs: count(r.handleMs),
    rated: 0,
    ratingSum: 0,
  });

  return {
    async activity(conversationId) {
      const rows = await s.db
        .selectFrom('conversationActivity')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .orderBy('at')
        .execute();
      return rows.map(
        (r): ConversationActivity => ({
          conversationId: r.conversationId,
          kind: r.kind as ActivityKind,
          userId: r.userId,
          queueId: r.queueId,
          at: r.at,
          startedAt: r.startedAt,
          durationMs: r.durationMs === null ? null : Number(r.durationMs),
        }),
      );
    },

    async recordActivity(row) {
      const inserted = await s.db
        .insertInto('conversationActivity')
        .values({ workspaceId: s.workspaceId, ...row })
        // DO NOTHING rather than a caught violation: a PostgreSQL transaction stays usable.
        .onConflict((oc) => oc.columns(['workspaceId', 'conversationId', 'kind', 'at']).doNothing())
        .returning('at')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async recordPresence(change) {
      const inserted = await s.db
        .insertInto('agentPresenceChanges')
        .values({ workspaceId: s.workspaceId, ...change })
        .onConflict((oc) => oc.columns(['workspaceId', 'userId', 'at']).doNothing())
        .returning('at')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async sums(range, { userId }) {
      const { from, to } = bounds(range);
      const agentRows = await measured(range, userId)
        .select(['a.userId', ...totals])
        .groupBy('a.userId')
        .execute();
      const queueRows = await measured(range, userId)
        .select(['a.queueId', ...totals])
        .groupBy('a.queueId')
        .execute();
      // Each row's local day: the days are consecutive, so the first end the row is before names it.
      const dayOf = sql<string>`case ${sql.join(
        range.days.map((d) => sql`when ${sql.ref('a.at')} < ${d.end} then ${d.day}`),
        sql` `,
      )} end`;
      const dayRows = await s.db
        .selectFrom(
          measured(range, userId)
            .select(['a.kind', 'a.durationMs', dayOf.as('day')])
            .as('a'),
        )
        .select(['a.day', ...totals])
        .groupBy('a.day')
        .execute();

      let presence = s.db
        .selectFrom('agentPresenceChanges as p')
        .select(['p.userId', 'p.status', 'p.at'])
        .where('p.workspaceId', '=', s.workspaceId)
        .where('p.at', '>=', from)
        .where('p.at', '<', to);
      let opening = s.db
        .selectFrom('agentPresenceChanges as p')
        .innerJoin(
          s.db
            .selectFrom('agentPresenceChanges')
            .select((eb) => ['userId', eb.fn.max('at').as('at')])
            .where('workspaceId', '=', s.workspaceId)
            .where('at', '<', from)
            .groupBy('userId')
            .as('l'),
          (j) => j.onRef('l.userId', '=', 'p.userId').onRef('l.at', '=', 'p.at'),
        )
        .select(['p.userId', 'p.status', 'p.at'])
        .where('p.workspaceId', '=', s.workspaceId);
      if (userId) {
        presence = presence.where('p.userId', '=', userId);
        opening = opening.where('p.userId', '=', userId);
      }
      const presenceRows = [...(await opening.execute()), ...(await presence.execute())];

      return {
        agents: agentRows.map((r) => ({ userId: r.userId ?? '', ...toTotals(r) })),
        queues: queueRows.map((r) => ({ queueId: r.queueId, ...toTotals(r) })),
        daily: dayRows.map((r) => ({ day: String(r.day), ...toTotals(r) })),
        suggestions: [],
        presence: presenceRows.map((r) => ({ userId: r.userId, status: r.status as AgentStatus, at: r.at })),
      };
    },
  };
}
