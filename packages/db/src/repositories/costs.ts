// Cost metering (migration 0032): billable usage per workspace, day and unit with its cost in micro-yuan,
// and the monthly budget with the alert thresholds already announced. No personal data.
import {
  type BudgetSettings,
  COST_UNITS,
  type CostUnit,
  DEFAULT_AGENT_COST_PER_CONVERSATION,
  DEFAULT_BUDGET,
  type WorkspaceRepositories,
} from '@zhike/core';
import { sql } from 'kysely';
import type { Scope } from './scope.ts';

export interface CostUsageTable {
  workspaceId: string;
  day: string;
  unit: string;
  quantity: number;
  costMicro: number;
}

export interface BudgetsTable {
  workspaceId: string;
  settings: string;
  alerts: string;
  updatedAt: string;
}

function parseBudget(stored: string): BudgetSettings {
  const value = JSON.parse(stored) as Partial<BudgetSettings>;
  const prices: Partial<Record<CostUnit, number>> = {};
  for (const unit of COST_UNITS) {
    const price = value.prices?.[unit];
    if (typeof price === 'number') prices[unit] = price;
  }
  return {
    monthlyYuan: typeof value.monthlyYuan === 'number' ? value.monthlyYuan : null,
    hardCap: value.hardCap === true,
    prices,
    agentCostPerConversationYuan:
      typeof value.agentCostPerConversationYuan === 'number'
        ? value.agentCostPerConversationYuan
        : DEFAULT_AGENT_COST_PER_CONVERSATION,
  };
}

export function costsRepository(s: Scope): WorkspaceRepositories['costs'] {
  return {
    async add(e) {
      await s.db
        .insertInto('costUsage')
        .values({
          workspaceId: s.workspaceId,
          day: e.day,
          unit: e.unit,
          quantity: e.quantity,
          costMicro: e.costMicro,
        })
        .onConflict((oc) =>
          oc.columns(['workspaceId', 'day', 'unit']).doUpdateSet((eb) => ({
            quantity: eb('costUsage.quantity', '+', eb.ref('excluded.quantity')),
            costMicro: eb('costUsage.costMicro', '+', eb.ref('excluded.costMicro')),
          })),
        )
        .execute();
    },
    async list(from, to) {
      const rows = await s.db
        .selectFrom('costUsage')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .orderBy('day')
        .orderBy('unit')
        .execute();
      return rows.map((r) => ({
        day: r.day,
        unit: r.unit as CostUnit,
        quantity: Number(r.quantity),
        costMicro: Number(r.costMicro),
      }));
    },
    async spent(from, to) {
      const row = await s.db
        .selectFrom('costUsage')
        .select(sql<string | number | null>`sum(cost_micro)`.as('total'))
        .where('workspaceId', '=', s.workspaceId)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .executeTakeFirst();
      return Number(row?.total ?? 0);
    },
    async resolutions(from, to) {
      // Conversations whose last change (their resolution, when nothing came after) fell in the range.
      const row = await s.db
        .selectFrom('conversations as c')
        .select((eb) => [
          eb.fn.countAll().as('resolved'),
          eb.fn
            .sum(
              eb
                .case()
                .when(
                  eb.and([
                    eb('c.handedOff', '=', 0),
                    eb.not(
                      eb.exists(
                        eb
                          .selectFrom('messages as m')
                          .select(sql.lit(1).as('one'))
                          .where('m.workspaceId', '=', s.workspaceId)
                          .whereRef('m.conversationId', '=', 'c.id')
                          .where('m.author', '=', 'agent'),
                      ),
                    ),
                  ]),
                )
                .then(1)
                .else(0)
                .end(),
            )
            .as('botResolved'),
        ])
        .where('c.workspaceId', '=', s.workspaceId)
        .where('c.status', '=', 'resolved')
        .where('c.updatedAt', '>=', from)
        .where('c.updatedAt', '<', to)
        .executeTakeFirst();
      return { resolved: Number(row?.resolved ?? 0), botResolved: Number(row?.botResolved ?? 0) };
    },
    async budget() {
      const row = await s.db
        .selectFrom('budgets')
        .select(['settings', 'updatedAt'])
        .where('workspaceId', '=', s.workspaceId)
        .executeTakeFirst();
      return row
        ? { settings: parseBudget(row.settings), updatedAt: row.updatedAt }
        : { settings: { ...DEFAULT_BUDGET, prices: {} }, updatedAt: null };
    },
    async saveBudget(settings, at) {
      const values = { settings: JSON.stringify(settings), updatedAt: at };
      await s.db
        .insertInto('budgets')
        .values({ workspaceId: s.workspaceId, alerts: '{}', ...values })
        .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
        .execute();
    },
    async claimAlerts(month, thresholds) {
      if (thresholds.length === 0) return [];
      // Compare-and-set on the stored JSON: of two processes claiming at once, one update wins and the
      // other finds the row changed and re-reads it.
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await s.db
          .selectFrom('budgets')
          .select('alerts')
          .where('workspaceId', '=', s.workspaceId)
          .executeTakeFirst();
        if (!row) return [];
        const stored = JSON.parse(row.alerts) as { month?: string; reached?: number[] };
        const reached = stored.month === month ? (stored.reached ?? []) : [];
        const fresh = thresholds.filter((t) => !reached.includes(t));
        if (fresh.length === 0) return [];
        const next = JSON.stringify({ month, reached: [...reached, ...fresh].sort((a, b) => a - b) });
        const result = await s.db
          .updateTable('budgets')
          .set({ alerts: next })
          .where('workspaceId', '=', s.workspaceId)
          .where('alerts', '=', row.alerts)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) > 0) return fresh;
      }
      return [];
    },
  };
}
