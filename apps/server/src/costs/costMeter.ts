// Cost metering as the app runs it: every billable unit recorded per workspace and day at the workspace's
// prices, the budget's alerts announced once per threshold and month (audit log and the console), and the
// hard cap the paid extras ask about before they spend (the LLM first: the built-in NLU answers instead).
import {
  type BudgetSettings,
  type Clock,
  COST_UNITS,
  type CostEfficiency,
  type CostUnit,
  capReached,
  costEfficiency,
  costMicro,
  type DomainEvent,
  type EventBus,
  monthRange,
  priceOf,
  thresholdsReached,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import { recordAudit } from '../audit.ts';

export interface CostSummary {
  month: string;
  budget: BudgetSettings;
  /** Micro-yuan spent this month, and per unit. */
  spentMicro: number;
  units: { unit: CostUnit; quantity: number; costMicro: number; price: number }[];
  /** Percent of the budget spent (null without a budget). */
  percent: number | null;
  reached: number[];
  capped: boolean;
  days: { day: string; costMicro: number }[];
  /** Resolutions this month, the cost of each and what the bot's saved. */
  efficiency: CostEfficiency;
}

export interface CostMeter {
  /** Records usage; never throws (a meter failure must not fail the work that was done). */
  record(workspaceId: string, unit: CostUnit, quantity: number): Promise<void>;
  /**
   * Whether paid extras may spend now: false once the month's hard cap is reached. LLM calls stop (the
   * built-in NLU answers) and outbound campaigns wait.
   */
  spendAllowed(workspaceId: string): Promise<boolean>;
  summary(workspaceId: string, month?: string): Promise<CostSummary>;
}

export function createCostMeter(deps: { db: Database; bus: EventBus; clock: Clock; log: Logger }): CostMeter {
  const today = () => deps.clock.now().toISOString().slice(0, 10);

  const announce = async (workspaceId: string, month: string, spent: number, budget: BudgetSettings) => {
    const store = deps.db.forWorkspace(workspaceId);
    const fresh = await store.costs.claimAlerts(month, thresholdsReached(spent, budget));
    for (const threshold of fresh) {
      await recordAudit(deps, {
        workspaceId,
        actor: { type: 'system', id: 'costs' },
        action: 'budget.threshold_reached',
        target: { type: 'workspace', id: workspaceId },
        details: {
          month,
          threshold,
          spentYuan: (spent / 1_000_000).toFixed(2),
          budgetYuan: String(budget.monthlyYuan ?? ''),
          hardCap: budget.hardCap && threshold >= 100,
        },
      });
      const event: DomainEvent = {
        name: 'budget.threshold_reached',
        workspaceId,
        occurredAt: deps.clock.now().toISOString(),
        month,
        threshold,
        capped: budget.hardCap && threshold >= 100,
      };
      await deps.bus.publish([event]).catch((err: unknown) => deps.log.warn({ err }, 'event publish failed'));
      deps.log.warn({ workspaceId, month, threshold }, 'budget threshold reached');
    }
  };

  return {
    async record(workspaceId, unit, quantity) {
      if (!(quantity > 0)) return;
      try {
        const store = deps.db.forWorkspace(workspaceId);
        const { settings } = await store.costs.budget();
        const day = today();
        await store.costs.add({
          day,
          unit,
          quantity: Math.round(quantity),
          costMicro: costMicro(unit, quantity, settings),
        });
        if (settings.monthlyYuan === null) return;
        const { month, from, to } = monthRange(day);
        await announce(workspaceId, month, await store.costs.spent(from, to), settings);
      } catch (error) {
        deps.log.error({ err: error, workspaceId, unit }, 'cost metering failed');
      }
    },
    async spendAllowed(workspaceId) {
      const store = deps.db.forWorkspace(workspaceId);
      const { settings } = await store.costs.budget();
      if (!settings.hardCap || settings.monthlyYuan === null) return true;
      const { from, to } = monthRange(today());
      return !capReached(await store.costs.spent(from, to), settings);
    },
    async summary(workspaceId, month) {
      const store = deps.db.forWorkspace(workspaceId);
      const { settings } = await store.costs.budget();
      const range = monthRange(month ? `${month}-01` : today());
      const rows = await store.costs.list(range.from, range.to);
      const units = COST_UNITS.map((unit) => {
        const mine = rows.filter((r) => r.unit === unit);
        return {
          unit,
          quantity: mine.reduce((n, r) => n + r.quantity, 0),
          costMicro: mine.reduce((n, r) => n + r.costMicro, 0),
          price: priceOf(unit, settings),
        };
      });
      const spentMicro = units.reduce((n, u) => n + u.costMicro, 0);
      const next = monthRange(nextMonthDay(range.to));
      const { resolved, botResolved } = await store.costs.resolutions(
        `${range.from}T00:00:00.000Z`,
        `${next.from}T00:00:00.000Z`,
      );
      const byDay = new Map<string, number>();
      for (const r of rows) byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.costMicro);
      return {
        month: range.month,
        budget: settings,
        spentMicro,
        units,
        percent:
          settings.monthlyYuan && settings.monthlyYuan > 0
            ? Math.round((spentMicro / (settings.monthlyYuan * 1_000_000)) * 1000) / 10
            : null,
        reached: thresholdsReached(spentMicro, settings),
        capped: capReached(spentMicro, settings),
        days: [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, costMicro]) => ({ day, costMicro })),
        efficiency: costEfficiency(spentMicro, resolved, botResolved, settings),
      };
    },
  };
}

/** The day after `day` (YYYY-MM-DD). */
function nextMonthDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Tokens of a text as LLM vendors count them, estimated when a streamed answer reports none: about 0.6
 * per Chinese character and 1 per 4 other characters (DeepSeek's and Qwen's published rules of thumb).
 */
export function estimateTokens(text: string): number {
  let han = 0;
  let other = 0;
  for (const c of text) {
    if (/\p{Script=Han}/u.test(c)) han++;
    else if (!/\s/u.test(c)) other++;
  }
  return Math.ceil(han * 0.6 + other / 4);
}

/**
 * Pauses a running campaign because the month's hard cap is reached: its owner sees it paused (and why,
 * in the audit log) and resumes it after raising the budget or when the month turns. False when the
 * campaign was not running.
 */
export async function pauseForBudget(
  deps: { db: Database; clock: Clock; log: Logger },
  workspaceId: string,
  campaign: { id: string; kind: 'outreach' | 'voice' },
  setStatus: (change: { from: ['running']; to: 'paused'; at: string }) => Promise<boolean>,
): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  if (!(await setStatus({ from: ['running'], to: 'paused', at }))) return false;
  await recordAudit(deps, {
    workspaceId,
    actor: { type: 'system', id: 'costs' },
    action: 'campaign.paused_by_budget',
    target: { type: 'campaign', id: campaign.id },
    details: { kind: campaign.kind },
  });
  deps.log.warn({ workspaceId, campaignId: campaign.id }, 'campaign paused: the monthly budget is spent');
  return true;
}
