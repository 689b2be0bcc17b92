// Bot analytics over REST: the metrics of a date range (workspace time zone), the unanswered questions
// grouped by meaning (contact details masked unless revealed, which is audited) and dismissing a group.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BotAnalytics,
  BotAnalyticsQuery,
  DismissedUnanswered,
  DismissUnansweredBody,
  UnansweredClusters,
  UnansweredQuery,
} from '@zhike/contracts';
import {
  type BotAnalyticsRange,
  botAnalyticsRange,
  containmentRate,
  fallbackRate,
  type WorkspaceStore,
  workspaceTimeZone,
} from '@zhike/core';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import { targetNamesOf } from '../bot/targetNames.ts';
import { unansweredQuestions } from '../bot/unansweredQuestions.ts';
import type { AppContext, Principal } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

/** The range of a metrics query in the workspace's time zone; a bad range is the caller's input. */
export async function rangeOf(
  ctx: AppContext,
  store: WorkspaceStore,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<{ range: BotAnalyticsRange; timeZone: string }> {
  const timeZone = await workspaceTimeZone(store);
  try {
    return { range: botAnalyticsRange({ ...query, timeZone, now: ctx.clock.now() }), timeZone };
  } catch (error) {
    if (error instanceof RangeError) throw new HttpProblem('validation_failed', error.message);
    throw error;
  }
}

export const rangeDto = (range: BotAnalyticsRange, timeZone: string) => ({
  from: range.days[0]!.day,
  to: range.days[range.days.length - 1]!.day,
  timeZone,
});

/** Whoever may reveal a customer's masked details may see them inside questions too. */
const mayReveal = (principal: Principal) => principal.permissions.has('customers.reveal');

export const botAnalyticsRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const store = (request: Parameters<typeof principalOf>[0]) =>
      ctx.db.forWorkspace(principalOf(request).workspaceId);

    app.get(
      '/api/v1/bot/analytics',
      {
        config: { auth: 'session', permission: 'analytics.read' },
        schema: {
          tags: ['bot'],
          summary: 'Bot metrics over a date range (default: the last 7 days)',
          description:
            "Days are counted in the workspace's time zone (its business hours' zone, else Asia/Shanghai). " +
            'Containment = conversations that ended (resolved, or idle 30 minutes) without a hand-off or an ' +
            'agent message, over those decided either way; fallback rate = fallback turns / all turns.',
          querystring: BotAnalyticsQuery,
          response: { 200: BotAnalytics, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        const { range, timeZone } = await rangeOf(ctx, s, request.query);
        const m = await s.botTurns.metrics(range);
        // Named as the bot names them now: the stored name may predate a label (or differ between turns).
        const nameOf = await targetNamesOf(ctx, principalOf(request).workspaceId);
        return {
          range: rangeDto(range, timeZone),
          conversations: {
            handled: m.conversations,
            contained: m.contained,
            escalated: m.escalated,
            ongoing: m.conversations - m.contained - m.escalated,
          },
          containmentRate: containmentRate(m),
          turns: m.turns,
          fallbackRate: fallbackRate(m),
          handoffs: m.outcomes.handed_off,
          outcomes: m.outcomes,
          handoffReasons: m.handoffReasons,
          topAnswers: m.topAnswers.map((a) => ({ ...a, label: nameOf(a.target) ?? a.label })),
          daily: m.daily,
        };
      },
    );

    app.get(
      '/api/v1/bot/unanswered',
      {
        config: { auth: 'session', permission: 'analytics.read' },
        schema: {
          tags: ['bot'],
          summary: 'Questions the bot could not answer, grouped by meaning, largest group first',
          description:
            'Fallbacks, hand-offs for want of an answer, and clarifying questions followed by a hand-off. ' +
            'Phone numbers and emails in the questions are masked; `reveal=true` shows them to users ' +
            'allowed to reveal personal data, and is audited.',
          querystring: UnansweredQuery,
          response: { 200: UnansweredClusters, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { limit = 50, reveal = false, ...days } = request.query;
        if (reveal && !mayReveal(principal))
          throw new HttpProblem('forbidden', 'Missing permission customers.reveal');
        const s = store(request);
        const { range, timeZone } = await rangeOf(ctx, s, days);
        const result = await unansweredQuestions(s, range, { limit, reveal });
        if (reveal)
          await recordAudit(ctx, {
            workspaceId: principal.workspaceId,
            actor: actorOf(principal),
            action: 'pii.revealed',
            target: { type: 'bot_unanswered', id: principal.workspaceId },
            details: {
              questions: result.questions,
              from: rangeDto(range, timeZone).from,
              to: rangeDto(range, timeZone).to,
            },
          });
        return { range: rangeDto(range, timeZone), ...result, masked: !reveal };
      },
    );

    app.post(
      '/api/v1/bot/unanswered/dismiss',
      {
        config: { auth: 'session', permission: 'analytics.read' },
        schema: {
          tags: ['bot'],
          summary: 'Dismiss a group of unanswered questions (they leave the list; the metrics keep them)',
          body: DismissUnansweredBody,
          response: { 200: DismissedUnanswered, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const dismissed = await store(request).botTurns.dismiss(
          request.body.turnIds,
          ctx.clock.now().toISOString(),
        );
        // Only ids that were this workspace's: an unknown id is the caller's input, not a fact to log.
        if (dismissed > 0)
          await recordAudit(ctx, {
            workspaceId: principal.workspaceId,
            actor: actorOf(principal),
            action: 'bot.unanswered_dismissed',
            target: { type: 'bot_unanswered', id: request.body.turnIds[0]! },
            details: { requested: request.body.turnIds.length, dismissed },
          });
        return { dismissed };
      },
    );
  };
