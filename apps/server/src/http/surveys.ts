// Follow-up surveys for the console and the API: the workspace's settings (admins), the surveys and their
// answers, and the CSAT summary over a range (supervisors).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CsatSummaryView,
  RangeQuery,
  SurveyList,
  SurveyListQuery,
  SurveySettingsBody,
  SurveySettingsView,
  type SurveyView,
} from '@zhike/contracts';
import { isTimeOfDay, type Survey } from '@zhike/core';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const tags = ['surveys'];
const DAY = 86_400_000;

export const surveyView = (s: Survey): SurveyView => ({
  id: s.id,
  customerId: s.customerId,
  conversationId: s.conversationId,
  ticketId: s.ticketId,
  trigger: s.trigger,
  channel: s.channel,
  status: s.status,
  skipReason: s.skipReason,
  dueAt: s.dueAt,
  sentAt: s.sentAt,
  score: s.score,
  comment: s.comment,
  answeredAt: s.answeredAt,
  answeredVia: s.answeredVia,
  negative: s.negative,
  complaintId: s.complaintId,
  createdAt: s.createdAt,
});

/** A range from the query, the last 30 days by default; refuses a reversed or over-a-year range. */
export function rangeOf(query: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  // Ranges are half-open; by default up to and including this instant.
  const to = query.to ? new Date(query.to) : new Date(now.getTime() + 1);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY);
  if (!(from < to)) throw new HttpProblem('validation_failed', 'from must be before to');
  if (to.getTime() - from.getTime() > 366 * DAY)
    throw new HttpProblem('validation_failed', 'range over a year');
  return { from: from.toISOString(), to: to.toISOString() };
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const surveyRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/surveys/settings',
      {
        config: { auth: 'session', permission: 'surveys.read' },
        schema: {
          tags,
          summary: 'Follow-up survey settings',
          response: { 200: SurveySettingsView, ...problems },
        },
      },
      async (request) => {
        const { updatedAt, ...settings } = await ctx.db
          .forWorkspace(principalOf(request).workspaceId)
          .surveys.settings();
        return { ...settings, updatedAt };
      },
    );

    app.put(
      '/api/v1/surveys/settings',
      {
        config: { auth: 'session', permission: 'surveys.manage' },
        schema: {
          tags,
          summary: 'Change the follow-up survey settings',
          body: SurveySettingsBody,
          response: { 200: SurveySettingsView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const body = request.body;
        if (!validTimeZone(body.timeZone)) throw new HttpProblem('validation_failed', 'unknown time zone');
        if (body.quietHours && (!isTimeOfDay(body.quietHours.start) || !isTimeOfDay(body.quietHours.end)))
          throw new HttpProblem('validation_failed', 'quiet hours must be HH:MM');
        const saved = await ctx.db
          .forWorkspace(principal.workspaceId)
          .surveys.saveSettings(body, ctx.clock.now().toISOString());
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'workspace', id: principal.workspaceId },
          details: { setting: 'surveys', enabled: body.enabled, delayMinutes: body.delayMinutes },
        });
        return saved;
      },
    );

    app.get(
      '/api/v1/surveys',
      {
        config: { auth: 'session', permission: 'surveys.read' },
        schema: {
          tags,
          summary: 'Follow-up surveys, newest first, with their answers',
          querystring: SurveyListQuery,
          response: { 200: SurveyList, ...problems },
        },
      },
      async (request) => {
        const store = ctx.db.forWorkspace(principalOf(request).workspaceId);
        const list = await store.surveys.list({
          limit: request.query.limit ?? 50,
          ...(request.query.status ? { status: request.query.status } : {}),
          ...(request.query.customerId ? { customerId: request.query.customerId } : {}),
        });
        return { surveys: list.map(surveyView) };
      },
    );

    app.get(
      '/api/v1/surveys/summary',
      {
        config: { auth: 'session', permission: 'surveys.read' },
        schema: {
          tags,
          summary: 'CSAT of the surveys sent in a range (last 30 days by default)',
          querystring: RangeQuery,
          response: { 200: CsatSummaryView, ...problems },
        },
      },
      async (request) => {
        const range = rangeOf(request.query, ctx.clock.now());
        const summary = await ctx.db.forWorkspace(principalOf(request).workspaceId).surveys.summary(range);
        return { ...range, ...summary };
      },
    );
  };
