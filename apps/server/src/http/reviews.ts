// The weekly review over HTTP: the page (text/html, charts inline) and its PDF, for a week the reader
// picks (a Monday) or the last full one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WeeklyReviewQuery } from '@zhike/contracts';
import Type from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { PdfUnavailable, printPdf } from '../reviews/pdf.ts';
import { renderWeeklyReview } from '../reviews/render.ts';
import { buildWeeklyReview } from '../reviews/weeklyReview.ts';
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
          const pdf = await printPdf(html, ctx.config.chromiumPath);
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
  };
