// Cost metering and the monthly budget (issue 12): this month's (or another month's) cost per billable
// unit at the workspace's prices, and the budget with its alert thresholds and hard cap.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Budget, BudgetBody, CostSummary, CostSummaryQuery } from '@zhike/contracts';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { problems } from './schemas.ts';

const tags = ['costs'];
const yuan = (micro: number) => Math.round(micro / 10) / 100_000;

export const costRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/costs',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags,
          summary: "A month's cost per billable unit (default: this month), against the budget",
          querystring: CostSummaryQuery,
          response: { 200: CostSummary, ...problems },
        },
      },
      async (request) => {
        const s = await ctx.costs.summary(principalOf(request).workspaceId, request.query.month);
        return {
          month: s.month,
          currency: 'CNY' as const,
          budget: s.budget,
          spentYuan: yuan(s.spentMicro),
          percent: s.percent,
          reached: s.reached,
          capped: s.capped,
          units: s.units.map((u) => ({
            unit: u.unit,
            quantity: u.quantity,
            costYuan: yuan(u.costMicro),
            price: u.price,
          })),
          days: s.days.map((d) => ({ day: d.day, costYuan: yuan(d.costMicro) })),
          ...s.efficiency,
        };
      },
    );

    app.put(
      '/api/v1/budget',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags,
          summary:
            'Set the monthly budget (null: none), its hard cap and unit prices overriding the defaults',
          body: BudgetBody,
          response: { 200: Budget, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = ctx.db.forWorkspace(principal.workspaceId);
        const before = (await store.costs.budget()).settings;
        const settings = {
          monthlyYuan: request.body.monthlyYuan,
          hardCap: request.body.hardCap,
          prices: request.body.prices ?? before.prices,
          agentCostPerConversationYuan:
            request.body.agentCostPerConversationYuan ?? before.agentCostPerConversationYuan,
        };
        await store.costs.saveBudget(settings, ctx.clock.now().toISOString());
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'budget.changed',
          target: { type: 'workspace', id: principal.workspaceId },
          details: {
            monthlyYuan: String(settings.monthlyYuan ?? ''),
            hardCap: settings.hardCap,
            prices: Object.keys(settings.prices).sort().join(','),
            agentCostPerConversationYuan: String(settings.agentCostPerConversationYuan),
          },
        });
        return settings;
      },
    );
  };
