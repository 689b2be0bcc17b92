// The unsubscribe link in marketing emails: GET shows what the link does (mail scanners open links, so
// a GET changes nothing), POST — the page's button or a mail client's one-click (RFC 8058) — withdraws
// the consent at once. The page is bilingual: it is shown to customers, outside the console's catalogues.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { consentVerdict, recordConsent } from '@zhike/core';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { AppContext } from '../context.ts';
import { verifyUnsubscribe } from '../outreach/unsubscribeToken.ts';
import { problems } from './schemas.ts';

const Html = Type.String({ description: 'text/html' });
const Query = Type.Object({ token: Type.String({ minLength: 10, maxLength: 400 }) });
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

const page = (body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>退订 Unsubscribe</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1f2329}button{font-size:1rem;padding:.6rem 1.4rem;border-radius:6px;border:0;background:#1677ff;color:#fff}</style></head><body>${body}</body></html>`;

const ASK = page(
  '<h1>退订营销消息</h1><p>确认后，我们将不再向您发送营销邮件。</p><p lang="en">Stop marketing emails from us.</p><form method="post" action=""><button type="submit">确认退订 Unsubscribe</button></form>',
);
const DONE = page(
  '<h1>已退订</h1><p>您不会再收到我们的营销邮件。</p><p lang="en">You are unsubscribed: no more marketing emails.</p>',
);
const INVALID = page('<h1>链接无效</h1><p lang="en">This unsubscribe link is not valid.</p>');

export const unsubscribeRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // The button's form and one-click clients post form data; its content does not matter.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, _b, done) =>
      done(null, undefined),
    );
    const send = (reply: FastifyReply, status: number, html: string) =>
      reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header('content-security-policy', PAGE_CSP)
        .send(html);

    app.get(
      '/unsubscribe',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['outreach'],
          summary: 'The unsubscribe page of a marketing email',
          querystring: Query,
          response: { 200: Html, 404: Html, ...problems },
        },
      },
      async (request, reply) =>
        verifyUnsubscribe(ctx.config.secret, request.query.token)
          ? send(reply, 200, ASK)
          : send(reply, 404, INVALID),
    );

    app.post(
      '/unsubscribe',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['outreach'],
          summary: 'Withdraw the marketing consent the link names',
          querystring: Query,
          response: { 200: Html, 404: Html, ...problems },
        },
      },
      async (request, reply) => {
        const claim = verifyUnsubscribe(ctx.config.secret, request.query.token);
        if (!claim) return send(reply, 404, INVALID);
        const store = ctx.db.forWorkspace(claim.workspaceId);
        const customer = await store.customers.get(claim.customerId);
        // An erased customer has nothing left to withdraw; the answer is the same.
        if (customer) {
          const history = await store.privacy.consents(customer.id);
          if (
            consentVerdict(history, claim.purpose).allowed ||
            !history.some((c) => c.purpose === claim.purpose)
          )
            await recordConsent(
              { store, clock: ctx.clock, newId: ctx.newId },
              {
                customerId: customer.id,
                purpose: claim.purpose,
                status: 'withdrawn',
                source: 'email_link',
                recordedBy: 'customer',
              },
            );
        }
        return send(reply, 200, DONE);
      },
    );
  };
