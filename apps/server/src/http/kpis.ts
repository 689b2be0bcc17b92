// The KPI dashboard over REST: the brief's indicators over a date range (workspace time zone) against
// their targets, with the daily trend, filtered by channel, team, agent or intent.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  KpiDrilldown,
  KpiDrilldownQuery,
  KpiQuery,
  KpiReport,
  KpiTargets,
  KpiTargetsBody,
} from '@zhike/contracts';
import {
  DEFAULT_KPI_TARGETS,
  KPI_KEYS,
  type KpiTargetOverrides,
  kpiTargets,
  type WorkspaceStore,
} from '@zhike/core';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { conversationsBehind } from '../metrics/drilldown.ts';
import { kpiCsv, kpiReport, kpiRows } from '../metrics/kpiReport.ts';
import { xlsxOf } from '../metrics/xlsx.ts';
import { rangeDto, rangeOf } from './botAnalytics.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

export const kpiRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const scope = async (
      workspaceId: string,
      query: Pick<KpiQuery, 'from' | 'to' | 'dimension' | 'value'>,
    ) => {
      const store = ctx.db.forWorkspace(workspaceId);
      const { range, timeZone } = await rangeOf(ctx, store, query);
      const { dimension, value } = query;
      if ((dimension === undefined) !== (value === undefined))
        throw new HttpProblem('validation_failed', 'dimension and value go together');
      return { store, range, timeZone, filter: dimension && value ? { dim: dimension, value } : null };
    };
    const reportFor = async (workspaceId: string, query: KpiQuery) => {
      const { store, range, timeZone, filter } = await scope(workspaceId, query);
      return { range, timeZone, report: await kpiReport(store, range, filter, timeZone) };
    };

    const targetsOf = async (store: WorkspaceStore): Promise<KpiTargets> => {
      const { overrides, updatedAt } = await store.kpiTargets.get();
      const inForce = kpiTargets(overrides);
      return {
        targets: KPI_KEYS.map((key) => ({
          key,
          kind: inForce[key].kind,
          value: inForce[key].value,
          default: DEFAULT_KPI_TARGETS[key].value,
          custom: inForce[key].value !== DEFAULT_KPI_TARGETS[key].value,
        })),
        updatedAt,
      };
    };

    app.get(
      '/api/v1/kpis/targets',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags: ['metrics'],
          summary: "Each KPI's target in force: the workspace's own, else the brief's",
          response: { 200: KpiTargets, ...problems },
        },
      },
      async (request) => targetsOf(ctx.db.forWorkspace(principalOf(request).workspaceId)),
    );

    app.put(
      '/api/v1/kpis/targets',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['metrics'],
          summary: "Set the workspace's own KPI targets (the KPIs given; null puts back the brief's target)",
          body: KpiTargetsBody,
          response: { 200: KpiTargets, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = ctx.db.forWorkspace(principal.workspaceId);
        const { overrides } = await store.kpiTargets.get();
        const next: KpiTargetOverrides = { ...overrides };
        for (const key of KPI_KEYS) {
          const value = request.body[key];
          if (value === null) delete next[key];
          else if (typeof value === 'number') next[key] = value;
        }
        await store.kpiTargets.save(next, ctx.clock.now().toISOString());
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'kpi.targets_changed',
          target: { type: 'workspace', id: principal.workspaceId },
          details: Object.fromEntries(Object.entries(next).map(([k, v]) => [k, String(v)])),
        });
        return targetsOf(store);
      },
    );

    app.get(
      '/api/v1/kpis/conversations',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags: ['metrics'],
          summary:
            "The conversations behind a KPI's number in the range, worst first (the dashboard's drill-down)",
          querystring: KpiDrilldownQuery,
          response: { 200: KpiDrilldown, ...problems },
        },
      },
      async (request) => {
        const { store, range, timeZone, filter } = await scope(
          principalOf(request).workspaceId,
          request.query,
        );
        const conversations = await conversationsBehind(
          store,
          request.query.kpi,
          range,
          filter,
          request.query.limit ?? 50,
        );
        return { kpi: request.query.kpi, range: rangeDto(range, timeZone), conversations };
      },
    );

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
        const { range, timeZone, report } = await reportFor(principalOf(request).workspaceId, request.query);
        return { range: rangeDto(range, timeZone), ...report };
      },
    );

    app.get(
      '/api/v1/kpis.csv',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags: ['metrics'],
          summary: 'The same KPIs as CSV: one row per day and a total row (UTF-8 with BOM, opens in Excel)',
          querystring: KpiQuery,
          response: { 200: Type.String({ description: 'text/csv' }), ...problems },
        },
      },
      async (request, reply) => {
        const { range, report } = await reportFor(principalOf(request).workspaceId, request.query);
        const from = range.days[0]?.day ?? '';
        const to = range.days.at(-1)?.day ?? '';
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="kpis-${from}-${to}.csv"`)
          .send(`\ufeff${kpiCsv(report)}`);
      },
    );

    app.get(
      '/api/v1/kpis.xlsx',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags: ['metrics'],
          summary: 'The same KPIs as an Excel workbook: one row per day and a total row',
          querystring: KpiQuery,
          response: {
            200: Type.Unknown({
              description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            }),
            ...problems,
          },
        },
      },
      async (request, reply) => {
        const { range, report } = await reportFor(principalOf(request).workspaceId, request.query);
        const from = range.days[0]?.day ?? '';
        const to = range.days.at(-1)?.day ?? '';
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="kpis-${from}-${to}.xlsx"`)
          .send(xlsxOf(`KPIs ${from}`, kpiRows(report)));
      },
    );
  };
