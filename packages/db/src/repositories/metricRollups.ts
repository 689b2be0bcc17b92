// KPI rollups (migration 0035): counts and totals per hour and local day, for the whole workspace and per
// dimension, added once per claimed event key. The claim and the increments commit together, so a crash
// never counts half an event.
import {
  type FactSubject,
  localDayOfHour,
  type MetricRollupsRepository,
  type RollupDim,
  type RollupFilter,
  type RollupIncrement,
  type RollupMetric,
} from '@zhike/core';
import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { Scope } from './scope.ts';

export interface MetricRollupsTable {
  workspaceId: string;
  grain: string;
  dim: string;
  value: string;
  bucket: string;
  metric: string;
  count: number;
  total: number;
}

export interface MetricFactsTable {
  workspaceId: string;
  metric: string;
  at: string;
  subjectKind: string;
  subjectId: string;
  conversationId: string | null;
  channel: string;
  queueId: string;
  agentId: string;
  intent: string;
  total: number;
}

export interface MetricClaimsTable {
  workspaceId: string;
  key: string;
  at: string;
}

type Cell = {
  grain: 'hour' | 'day';
  dim: RollupDim | 'all';
  value: string;
  bucket: string;
  metric: RollupMetric;
};

/** Every row an increment adds to: its hour and day, whole-workspace and under each dimension it has. */
function cellsOf(inc: RollupIncrement, timeZone: string): Cell[] {
  const dims: [RollupDim | 'all', string][] = [
    ['all', ''],
    ['channel', inc.channel],
    ['queue', inc.queueId],
    ['agent', inc.agentId],
    ['intent', inc.intent],
  ];
  const day = localDayOfHour(inc.hour, timeZone);
  const cells: Cell[] = [];
  for (const [dim, value] of dims) {
    if (dim !== 'all' && value === '') continue;
    cells.push({ grain: 'hour', dim, value, bucket: inc.hour, metric: inc.metric });
    cells.push({ grain: 'day', dim, value, bucket: day, metric: inc.metric });
  }
  return cells;
}

export function metricRollupsRepository(s: Scope): MetricRollupsRepository {
  const inTransaction = <T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T> =>
    s.db.isTransaction ? fn(s.db) : s.db.transaction().execute(fn);
  const read = (grain: 'hour' | 'day', from: string, to: string, filter: RollupFilter) =>
    s.db
      .selectFrom('metricRollups')
      .select(['metric', 'bucket', 'count', 'total'])
      .where('workspaceId', '=', s.workspaceId)
      .where('grain', '=', grain)
      .where('dim', '=', filter?.dim ?? 'all')
      .where('value', '=', filter?.value ?? '')
      .where('bucket', '>=', from)
      .where('bucket', '<=', to)
      .orderBy('bucket')
      .execute();
  return {
    async apply(key, increments, at, timeZone) {
      if (increments.length === 0) return false;
      // Increments of one event that land in the same row are added up first.
      const rows = new Map<string, Cell & { count: number; total: number }>();
      for (const inc of increments)
        for (const cell of cellsOf(inc, timeZone)) {
          const id = `${cell.grain}|${cell.dim}|${cell.value}|${cell.bucket}|${cell.metric}`;
          const row = rows.get(id) ?? { ...cell, count: 0, total: 0 };
          row.count += inc.count;
          row.total += inc.total;
          rows.set(id, row);
        }
      return inTransaction(async (db) => {
        const claimed = await db
          .insertInto('metricClaims')
          .values({ workspaceId: s.workspaceId, key, at })
          .onConflict((oc) => oc.columns(['workspaceId', 'key']).doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await db
          .insertInto('metricRollups')
          .values([...rows.values()].map((r) => ({ workspaceId: s.workspaceId, ...r })))
          .onConflict((oc) =>
            oc.columns(['workspaceId', 'grain', 'dim', 'value', 'bucket', 'metric']).doUpdateSet((eb) => ({
              count: eb('metricRollups.count', '+', eb.ref('excluded.count')),
              total: eb('metricRollups.total', '+', eb.ref('excluded.total')),
            })),
          )
          .execute();
        const facts = increments.filter((inc) => inc.subject);
        if (facts.length > 0)
          await db
            .insertInto('metricFacts')
            .values(
              facts.map((inc) => ({
                workspaceId: s.workspaceId,
                metric: inc.metric,
                at,
                subjectKind: inc.subject!.kind,
                subjectId: inc.subject!.id,
                conversationId: inc.subject!.conversationId,
                channel: inc.channel,
                queueId: inc.queueId,
                agentId: inc.agentId,
                intent: inc.intent,
                total: inc.total,
              })),
            )
            .execute();
        return true;
      });
    },
    async facts(metrics, from, to, filter, limit) {
      if (metrics.length === 0) return [];
      const column = { channel: 'channel', queue: 'queueId', agent: 'agentId', intent: 'intent' } as const;
      const rows = await s.db
        .selectFrom('metricFacts')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('metric', 'in', [...metrics])
        .where('at', '>=', from)
        .where('at', '<', to)
        .$if(filter !== null, (q) => q.where(column[filter!.dim], '=', filter!.value))
        .orderBy('at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        metric: r.metric as RollupMetric,
        subject: {
          kind: r.subjectKind as FactSubject['kind'],
          id: r.subjectId,
          conversationId: r.conversationId,
        },
        at: r.at,
        channel: r.channel,
        queueId: r.queueId,
        agentId: r.agentId,
        intent: r.intent,
        total: Number(r.total),
      }));
    },
    async daily(fromDay, toDay, filter) {
      return (await read('day', fromDay, toDay, filter)).map((r) => ({
        metric: r.metric as RollupMetric,
        day: r.bucket,
        count: Number(r.count),
        total: Number(r.total),
      }));
    },
    async hourly(fromHour, toHour, filter) {
      return (await read('hour', fromHour, toHour, filter)).map((r) => ({
        metric: r.metric as RollupMetric,
        hour: r.bucket,
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
