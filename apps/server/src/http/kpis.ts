// The KPI dashboard over REST: the brief's indicators over a date range (workspace time zone) against
// their targets, with the daily trend, filtered by channel, team, agent or intent.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { KpiQuery, KpiReport } from '@zhike/contracts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { kpiReport } from '../metrics/kpiReport.ts';
import { rangeDto, rangeOf } from './botAnalytics.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

export const kpiRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/kpis',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags: ['metrics'],
          summary:
            'The KPIs of a date range (default: the last 7 days) against their targets, with the daily trend',
          description:
            'Definitions: AI / human response = mean time to the bot’s first answer / an agent’s first reply; ' +
            'pickup wait = mean wait until an agent took the conversation; handle time = from taking it to ' +
            'resolving it; FCR = resolved conversations whose customer did not come back on the same intent ' +
            'within 7 days, over resolved; containment = resolved with no person involved, over resolved; ' +
            'CSAT = mean survey score (1–5); complaint closure = closed over opened; SLA attainment = solved ' +
            'tickets less those that missed a target, over solved; bot fallback rate = turns without an ' +
            'answer over turns.',
          querystring: KpiQuery,
          response: { 200: KpiReport, ...problems },
        },
      },
      async (request) => {
        const store = ctx.db.forWorkspace(principalOf(request).workspaceId);
        const { range, timeZone } = await rangeOf(ctx, store, request.query);
        const { dimension, value } = request.query;
        if ((dimension === undefined) !== (value === undefined))
          throw new HttpProblem('validation_failed', 'dimension and value go together');
        const report = await kpiReport(store, range, dimension && value ? { dim: dimension, value } : null);
        return { range: rangeDto(range, timeZone), ...report };
      },
    );
  };
