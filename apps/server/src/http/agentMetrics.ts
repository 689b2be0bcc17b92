// Agent metrics over REST: per agent, per queue and per day of a range in the workspace's time zone.
// Supervisors and above see the whole team; an agent sees only their own figures.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AgentMetrics, AgentMetricsQuery } from '@zhike/contracts';
import { agentMetricsReport } from '@zhike/core';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { rangeDto, rangeOf } from './botAnalytics.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

/** Roles that serve customers: listed even on a day they did nothing, so a zero shows as a zero. */
const SERVING_ROLES: ReadonlySet<string> = new Set(['agent', 'supervisor']);

export const agentMetricsRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/metrics/agents',
      {
        config: { auth: 'session', permission: 'metrics.read_own' },
        schema: {
          tags: ['metrics'],
          summary: 'Agent metrics over a date range (default: the last 7 days)',
          description:
            "Days are counted in the workspace's time zone. First response time runs from the moment the " +
            'customer started waiting for a human (hand-off, queueing, reopening; else their oldest ' +
            'unanswered message) to the first agent reply; handle time from assignment to resolution; ' +
            'conversations per hour divide those resolved by the hours online. Users with ' +
            '`metrics.read_team` see everyone; others only themselves.',
          querystring: AgentMetricsQuery,
          response: { 200: AgentMetrics, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        if (principal.kind !== 'user') throw new HttpProblem('forbidden', 'Agent metrics are for people');
        const everyone = principal.permissions.has('metrics.read_team');
        const store = ctx.db.forWorkspace(principal.workspaceId);
        const { range, timeZone } = await rangeOf(ctx, store, request.query);
        const sums = await store.agentMetrics.sums(range, everyone ? {} : { userId: principal.user.id });
        const [users, queues] = await Promise.all([store.users.list(), store.queues.list()]);
        const active = new Set([
          ...sums.agents.map((a) => a.userId),
          ...sums.suggestions.map((s) => s.userId),
          ...sums.presence.filter((p) => p.status === 'online').map((p) => p.userId),
        ]);
        const shown = everyone
          ? users
              .filter((u) => SERVING_ROLES.has(u.role) || active.has(u.id))
              .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
          : users.filter((u) => u.id === principal.user.id);
        const names = new Map(users.map((u) => [u.id, u.name]));
        const queueNames = new Map(queues.map((q) => [q.id, q.name]));
        const report = agentMetricsReport(sums, {
          range,
          agentIds: shown.map((u) => u.id),
          now: ctx.clock.now(),
        });
        return {
          range: rangeDto(range, timeZone),
          scope: everyone ? ('everyone' as const) : ('self' as const),
          agents: report.agents.map((a) => ({ ...a, name: names.get(a.userId) ?? a.userId })),
          queues: report.queues.map((q) => ({
            ...q,
            name: q.queueId ? (queueNames.get(q.queueId) ?? null) : null,
          })),
          daily: report.daily,
          totals: report.totals,
        };
      },
    );
  };
