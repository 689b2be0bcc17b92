// The public survey page of a survey's link (`/s?t=<token>`): shows the form, takes the answer (a plain form
// post, then a redirect back so a reload never posts twice), and says thanks, or that the link expired.
// The token is the only credential (in the query, not the path: it names no workspace-owned id); nothing
// of the customer's is shown, as a link may be forwarded.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SurveyTokenQuery } from '@zhike/contracts';
import type { Locale, Survey } from '@zhike/core';
import Type from 'typebox';
import type { AppContext } from '../context.ts';
import { surveyPageMessages } from '../surveys/pageMessages.ts';
import { isSurveyToken, SURVEY_PATH, surveyTokenHash } from '../surveys/surveyLinks.ts';
import { surveyDonePage, surveyFormPage } from '../surveys/surveyPage.ts';
import { consolePolicy } from './securityHeaders.ts';

const FormBody = Type.Object(
  {
    score: Type.Optional(Type.String({ maxLength: 2 })),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

interface Found {
  workspaceId: string;
  survey: Survey;
  locale: Locale;
  shop: string;
}

export const surveyPageRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Only this plugin's routes take HTML form posts.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_request, body, done) => {
        const fields: Record<string, string> = {};
        for (const [key, value] of new URLSearchParams(body as string))
          if (key === 'score' || key === 'comment') fields[key] = value;
        done(null, fields);
      },
    );

    async function find(token: string): Promise<Found | null> {
      if (!isSurveyToken(token)) return null;
      const owner = await ctx.db.directory.surveyByTokenHash(surveyTokenHash(token));
      if (!owner) return null;
      const store = ctx.db.forWorkspace(owner.workspaceId);
      const survey = await store.surveys.get(owner.surveyId);
      if (!survey) return null;
      const workspace = await store.workspace.get();
      return { workspaceId: owner.workspaceId, survey, locale: workspace.locale, shop: workspace.name };
    }
    const expired = (s: Survey) =>
      s.status !== 'answered' && (!s.expiresAt || s.expiresAt <= ctx.clock.now().toISOString());
    const page = (reply: { header: (k: string, v: string) => unknown; type: (t: string) => unknown }) => {
      reply.header('content-security-policy', consolePolicy(ctx.config.publicUrl));
      reply.header('cache-control', 'no-store');
      reply.type('text/html; charset=utf-8');
    };

    app.get(
      SURVEY_PATH,
      { config: { auth: 'public' }, schema: { hide: true, querystring: SurveyTokenQuery } },
      async (request, reply) => {
        page(reply);
        const found = await find(request.query.t);
        if (!found) {
          reply.code(404);
          return surveyDonePage({ locale: 'zh-CN', shop: '', state: 'not_found' });
        }
        const { survey, locale, shop } = found;
        if (survey.status === 'answered')
          return surveyDonePage({ locale, shop, state: 'answered', score: survey.score });
        if (expired(survey)) return surveyDonePage({ locale, shop, state: 'expired' });
        return surveyFormPage({ locale, shop, action: `${SURVEY_PATH}?t=${request.query.t}` });
      },
    );

    app.post(
      SURVEY_PATH,
      { config: { auth: 'public' }, schema: { hide: true, querystring: SurveyTokenQuery, body: FormBody } },
      async (request, reply) => {
        page(reply);
        const found = await find(request.query.t);
        if (!found) {
          reply.code(404);
          return surveyDonePage({ locale: 'zh-CN', shop: '', state: 'not_found' });
        }
        const { locale, shop } = found;
        const action = `${SURVEY_PATH}?t=${request.query.t}`;
        const score = /^[1-5]$/.test(request.body.score ?? '') ? Number(request.body.score) : null;
        const comment = (request.body.comment ?? '').slice(0, 1000);
        if (score === null) {
          reply.code(422);
          return surveyFormPage({
            locale,
            shop,
            action,
            comment,
            error: surveyPageMessages[locale].pickScore,
          });
        }
        const outcome = await ctx.surveys.answerSurvey(found.workspaceId, {
          surveyId: found.survey.id,
          score,
          comment,
          via: 'page',
        });
        if (outcome === 'expired' || outcome === 'not_sent')
          return surveyDonePage({ locale, shop, state: 'expired' });
        return reply.redirect(action, 303);
      },
    );
  };
