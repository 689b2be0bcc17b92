// KPI rollups (migration 0035): counts and totals per hour and dimension, added once per claimed event
// key. The claim and the increments commit together, so a crash never counts half an event.
import type { MetricRollupsRepository, RollupMetric } from '@zhike/core';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';
import type { Scope } from './scope.ts';

export interface MetricRollupsTable {
  workspaceId: string;
  hour: string;
  metric: string;
  channel: string;
  queueId: string;
  agentId: string;
  intent: string;
  count: number;
  total: number;
}

export interface MetricClaimsTable {
  workspaceId: string;
  key: string;
  at: string;
}

export function metricRollupsRepository(s: Scope): MetricRollupsRepository {
  const inTransaction = <T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T> =>
    s.db.isTransaction ? fn(s.db) : s.db.transaction().execute(fn);
  return {
    async apply(key, increments, at) {
      if (increments.length === 0) return false;
      return inTransaction(async (db) => {
        const claimed = await db
          .insertInto('metricClaims')
          .values({ workspaceId: s.workspaceId, key, at })
          .onConflict((oc) => oc.columns(['workspaceId', 'key']).doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        for (const inc of increments)
          await db
            .insertInto('metricRollups')
            .values({
              workspaceId: s.workspaceId,
              hour: inc.hour,
              metric: inc.metric,
              channel: inc.channel,
              queueId: inc.queueId,
              agentId: inc.agentId,
              intent: inc.intent,
              count: inc.count,
              total: inc.total,
            })
            .onConflict((oc) =>
              oc
                .columns(['workspaceId', 'metric', 'hour', 'channel', 'queueId', 'agentId', 'intent'])
                .doUpdateSet((eb) => ({
                  count: eb('metricRollups.count', '+', eb.ref('excluded.count')),
                  total: eb('metricRollups.total', '+', eb.ref('excluded.total')),
                })),
            )
            .execute();
        return true;
      });
    },
    async daily(fromHour, toHour, offsetMinutes, filter) {
      const minutes = Math.trunc(offsetMinutes);
      const day =
        s.dialect === 'sqlite'
          ? sql<string>`substr(datetime(replace(hour, 'T', ' ') || ':00:00', ${`${minutes >= 0 ? '+' : ''}${minutes} minutes`}), 1, 10)`
          : sql<string>`to_char(to_timestamp(hour, 'YYYY-MM-DD"T"HH24') + make_interval(mins => ${minutes}), 'YYYY-MM-DD')`;
      let q = s.db
        .selectFrom('metricRollups')
        .select([
          'metric',
          day.as('day'),
          sql<string | number>`sum(count)`.as('count'),
          sql<string | number>`sum(total)`.as('total'),
        ])
        .where('workspaceId', '=', s.workspaceId)
        .where('hour', '>=', fromHour)
        .where('hour', '<=', toHour);
      if (filter.channel !== undefined) q = q.where('channel', '=', filter.channel);
      if (filter.queueId !== undefined) q = q.where('queueId', '=', filter.queueId);
      if (filter.agentId !== undefined) q = q.where('agentId', '=', filter.agentId);
      if (filter.intent !== undefined) q = q.where('intent', '=', filter.intent);
      const rows = await q.groupBy(['metric', sql`2`]).execute();
      return rows.map((r) => ({
        metric: r.metric as RollupMetric,
        day: r.day,
        count: Number(r.count),
        total: Number(r.total),
      }));
    },
    async hourly(fromHour, toHour, filter) {
      let q = s.db
        .selectFrom('metricRollups')
        .select([
          'metric',
          'hour',
          sql<string | number>`sum(count)`.as('count'),
          sql<string | number>`sum(total)`.as('total'),
        ])
        .where('workspaceId', '=', s.workspaceId)
        .where('hour', '>=', fromHour)
        .where('hour', '<=', toHour);
      if (filter.channel !== undefined) q = q.where('channel', '=', filter.channel);
      if (filter.queueId !== undefined) q = q.where('queueId', '=', filter.queueId);
      if (filter.agentId !== undefined) q = q.where('agentId', '=', filter.agentId);
      if (filter.intent !== undefined) q = q.where('intent', '=', filter.intent);
      const rows = await q.groupBy(['metric', 'hour']).orderBy('hour').execute();
      return rows.map((r) => ({
        metric: r.metric as RollupMetric,
        hour: r.hour,
        count: Number(r.count),
        total: Number(r.total),
      }));
    },
    async pruneClaims(before) {
      const result = await s.db
        .deleteFrom('metricClaims')
        .where('workspaceId', '=', s.workspaceId)
        .where('at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
