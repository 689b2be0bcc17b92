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
import { type Selectable, sql } from 'kysely';
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

const toActivity = (r: Selectable<ConversationActivityTable>): ConversationActivity => ({
  conversationId: r.conversationId,
  kind: r.kind as ActivityKind,
  userId: r.userId,
  queueId: r.queueId,
  at: r.at,
  startedAt: r.startedAt,
  durationMs: r.durationMs === null ? null : Number(r.durationMs),
});

export function agentMetricsRepository(s: Scope): AgentMetricsRepository {
  const bounds = (range: BotAnalyticsRange) => {
    const first = range.days[0];
    const last = range.days[range.days.length - 1];
    if (!first || !last) throw new RangeError('a metrics range has at least one day');
    return { from: first.start, to: last.end };
  };

  /**
   * The measured rows of the range (first replies, and resolutions an agent handled), each with its local
   * day and, on a conversation's latest resolution only, its customer rating (migration 0019): a rating
   * belongs to the conversation once, not to every time it was resolved.
   */
  const measured = (range: BotAnalyticsRange, userId: string | undefined) => {
    const { from, to } = bounds(range);
    const dayOf = sql<string>`case ${sql.join(
      range.days.map((d) => sql`when ${sql.ref('a.at')} < ${d.end} then ${d.day}`),
      sql` `,
    )} end`;
    let q = s.db
      .selectFrom('conversationActivity as a')
      .leftJoin('conversations as c', (j) =>
        j.onRef('c.id', '=', 'a.conversationId').onRef('c.workspaceId', '=', 'a.workspaceId'),
      )
      .where('a.workspaceId', '=', s.workspaceId)
      .where('a.kind', 'in', ['first_reply', 'resolved'])
      .where('a.userId', 'is not', null)
      .where('a.durationMs', 'is not', null)
      .where('a.at', '>=', from)
      .where('a.at', '<', to);
    if (userId) q = q.where('a.userId', '=', userId);
    return q.select((eb) => [
      'a.userId',
      'a.queueId',
      'a.kind',
      'a.durationMs',
      dayOf.as('day'),
      eb
        .case()
        .when(
          eb.and([
            eb('a.kind', '=', 'resolved'),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('conversationActivity as later')
                  .select(sql.lit(1).as('one'))
                  .where('later.workspaceId', '=', s.workspaceId)
                  .whereRef('later.conversationId', '=', 'a.conversationId')
                  .where('later.kind', '=', 'resolved')
                  .whereRef('later.at', '>', 'a.at'),
              ),
            ),
          ]),
        )
        .then(eb.ref('c.csatScore'))
        .else(null)
        .end()
        .as('rating'),
    ]);
  };
  const when = (kind: ActivityKind, then: ReturnType<typeof sql>) =>
    sql<number>`sum(case when ${sql.ref('m.kind')} = ${kind} then ${then} else 0 end)`;
  const totals = [
    when('first_reply', sql.lit(1)).as('firstResponses'),
    when('first_reply', sql.ref('m.durationMs')).as('firstResponseMs'),
    when('resolved', sql.lit(1)).as('handled'),
    when('resolved', sql.ref('m.durationMs')).as('handleMs'),
    sql<number>`count(${sql.ref('m.rating')})`.as('rated'),
    sql<number>`coalesce(sum(${sql.ref('m.rating')}), 0)`.as('ratingSum'),
  ] as const;
  const toTotals = (r: Record<string, unknown>): ActivityTotals => ({
    firstResponses: count(r.firstResponses),
    firstResponseMs: count(r.firstResponseMs),
    handled: count(r.handled),
    handleMs: count(r.handleMs),
    rated: count(r.rated),
    ratingSum: count(r.ratingSum),
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
      return rows.map(toActivity);
    },

    async activityIn(kind, from, to, limit) {
      const rows = await s.db
        .selectFrom('conversationActivity')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('kind', '=', kind)
        .where('at', '>=', from)
        .where('at', '<', to)
        .orderBy('at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toActivity);
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
      const rows = () => s.db.selectFrom(measured(range, userId).as('m'));
      const agentRows = await rows()
        .select(['m.userId', ...totals])
        .groupBy('m.userId')
        .execute();
      const queueRows = await rows()
        .select(['m.queueId', ...totals])
        .groupBy('m.queueId')
        .execute();
      const dayRows = await rows()
        .select(['m.day', ...totals])
        .groupBy('m.day')
        .execute();

      // One verdict per customer message an agent saw suggestions for (migration 0019).
      let feedback = s.db
        .selectFrom('suggestionFeedback as f')
        .where('f.workspaceId', '=', s.workspaceId)
        .where('f.createdAt', '>=', from)
        .where('f.createdAt', '<', to);
      if (userId) feedback = feedback.where('f.userId', '=', userId);
      const feedbackRows = await feedback
        .select((eb) => [
          'f.userId',
          eb.fn.countAll().as('shown'),
          sql<number>`sum(case when ${sql.ref('f.action')} in ('accepted', 'edited') then 1 else 0 end)`.as(
            'used',
          ),
        ])
        .groupBy('f.userId')
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
        suggestions: feedbackRows.map((r) => ({
          userId: r.userId,
          shown: count(r.shown),
          used: count(r.used),
        })),
        presence: presenceRows.map((r) => ({ userId: r.userId, status: r.status as AgentStatus, at: r.at })),
      };
    },
  };
}
