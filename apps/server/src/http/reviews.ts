// The weekly review over HTTP: the page (text/html, charts inline) and its PDF, for a week the reader
// picks (a Monday) or the last full one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ReviewMailing,
  ReviewMailSettings,
  ReviewMailState,
  SendReviewBody,
  WeeklyReviewQuery,
} from '@zhike/contracts';
import { reviewWeekDue, workspaceTimeZone } from '@zhike/core';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { reviewRecipients, reviewSenderInbox, sendWeeklyReview } from '../reviews/mailing.ts';
import { PdfUnavailable } from '../reviews/pdf.ts';
import { renderWeeklyReview } from '../reviews/render.ts';
import { buildWeeklyReview, weekOf } from '../reviews/weeklyReview.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const tags = ['metrics'];

export const reviewRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const page = async (workspaceId: string, query: WeeklyReviewQuery) => {
      try {
        const review = await buildWeeklyReview(ctx, workspaceId, query.from ? { from: query.from } : {});
        return { review, html: renderWeeklyReview(review, query.locale) };
      } catch (error) {
        if (error instanceof RangeError) throw new HttpProblem('validation_failed', error.message);
        throw error;
      }
    };

    app.get(
      '/api/v1/reviews/weekly',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags,
          summary:
            'The weekly review as an HTML page: KPIs vs targets, topics, emotion, QA, unanswered questions, actions',
          querystring: WeeklyReviewQuery,
          response: { 200: Type.String({ description: 'text/html' }), ...problems },
        },
      },
      async (request, reply) => {
        const { html } = await page(principalOf(request).workspaceId, request.query);
        return (
          reply
            .type('text/html; charset=utf-8')
            .header('cache-control', 'private, no-cache')
            // The page runs no script and loads nothing: it may only draw its inline SVG and styles.
            .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
            .send(html)
        );
      },
    );

    app.get(
      '/api/v1/reviews/weekly.pdf',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags,
          summary: 'The weekly review printed to PDF (needs Chromium: ZHIKE_CHROMIUM_PATH)',
          querystring: WeeklyReviewQuery,
          response: { 200: Type.Unknown({ description: 'application/pdf' }), ...problems },
        },
      },
      async (request, reply) => {
        const { review, html } = await page(principalOf(request).workspaceId, request.query);
        try {
          const pdf = await ctx.pdf.print(html);
          return reply
            .type('application/pdf')
            .header('cache-control', 'private, no-cache')
            .header('content-disposition', `attachment; filename="weekly-review-${review.range.from}.pdf"`)
            .send(pdf);
        } catch (error) {
          if (error instanceof PdfUnavailable) throw new HttpProblem('unavailable', error.message);
          throw error;
        }
      },
    );

    const mailState = async (workspaceId: string): Promise<ReviewMailState> => {
      const store = ctx.db.forWorkspace(workspaceId);
      const [{ settings, updatedAt }, inbox, recipients, mailings, zone] = await Promise.all([
        store.reviewMail.settings(),
        reviewSenderInbox(ctx, workspaceId),
        reviewRecipients(ctx, workspaceId),
        store.reviewMail.list(12),
        workspaceTimeZone(store),
      ]);
      const address = inbox?.channelConfig?.address;
      return {
        settings,
        updatedAt,
        sender: inbox ? { inboxId: inbox.id, name: inbox.name, address: String(address ?? '') } : null,
        recipients: recipients.map((u) => ({ name: u.name, email: u.email })),
        dueWeek: settings.enabled ? reviewWeekDue(ctx.clock.now(), zone, settings.sendHour) : null,
        mailings,
      };
    };

    app.get(
      '/api/v1/reviews/mail',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags,
          summary:
            'How the weekly review is mailed: settings, the inbox it goes out from, recipients, past weeks',
          response: { 200: ReviewMailState, ...problems },
        },
      },
      async (request) => mailState(principalOf(request).workspaceId),
    );

    app.put(
      '/api/v1/reviews/mail',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags,
          summary: 'Turn the Monday mailing on or off, set its hour and whether admins receive it too',
          body: ReviewMailSettings,
          response: { 200: ReviewMailState, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = ctx.db.forWorkspace(principal.workspaceId);
        await store.reviewMail.saveSettings(request.body, ctx.clock.now().toISOString());
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'review.mail_settings_changed',
          target: { type: 'workspace', id: principal.workspaceId },
          details: { ...request.body },
        });
        return mailState(principal.workspaceId);
      },
    );

    app.post(
      '/api/v1/reviews/weekly/email',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags,
          summary:
            "E-mail a week's review to its recipients now (again if it was sent); the outcome as recorded",
          body: SendReviewBody,
          response: { 200: ReviewMailing, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = ctx.db.forWorkspace(principal.workspaceId);
        let week: string;
        try {
          week = weekOf(ctx.clock.now(), await workspaceTimeZone(store), request.body.from).from;
        } catch (error) {
          if (error instanceof RangeError) throw new HttpProblem('validation_failed', error.message);
          throw error;
        }
        try {
          return await sendWeeklyReview(ctx, principal.workspaceId, week, {
            again: true,
            actor: actorOf(principal),
          });
        } catch (error) {
          // The relay did not answer or refused for now: nothing was recorded as sent; try again later.
          throw new HttpProblem(
            'unavailable',
            `The mail relay could not take the review now: ${(error as Error).message}`,
          );
        }
      },
    );
  };
