// The API channel for integrators: a customer message in, 200 once it is durably stored.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InboundBody, InboundResult } from '@zhike/contracts';
import { normaliseIdentity } from '@zhike/core';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';

/**
 * The phone and email an integrator sends are identities of the customer: verified (merging with the
 * customer who proved them elsewhere) only when the integrator says it checked them. A value that is not
 * a phone or an email stays on the profile only.
 */
function contactIdentities(customer: InboundBody['customer']) {
  const verified = customer.verified === true;
  const claims: { kind: 'phone' | 'email'; value: string }[] = [];
  if (customer.phone) claims.push({ kind: 'phone', value: customer.phone });
  if (customer.email) claims.push({ kind: 'email', value: customer.email });
  return claims.flatMap((c) => {
    try {
      normaliseIdentity(c.kind, c.value);
      return [{ ...c, verified, source: 'api' }];
    } catch {
      return [];
    }
  });
}

import { problems } from './schemas.ts';

export const inboundRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/inbound',
      {
        config: { auth: 'apiKey', permission: 'inbound.write' },
        schema: {
          tags: ['api channel'],
          summary: 'Deliver a customer message (idempotent on messageId)',
          body: InboundBody,
          response: { 200: InboundResult, ...problems },
        },
      },
      async (request) => {
        const { workspaceId } = principalOf(request);
        const perMinute = ctx.config.limits.inboundPerMinute;
        if (perMinute > 0) {
          const budget = await ctx.rateLimiter.hit(`inbound:${workspaceId}`, perMinute, 60_000);
          if (!budget.allowed)
            throw HttpProblem.retryLater(
              'rate_limited',
              `At most ${perMinute} messages a minute per workspace; nothing was stored, send it again later`,
              budget.retryAfterMs,
            );
        }
        const inbox = (await ctx.db.forWorkspace(workspaceId).inboxes.list()).find(
          (i) => i.channel === 'api',
        );
        if (!inbox) throw new HttpProblem('conflict', 'This workspace has no API inbox');
        const body = request.body;
        const result = await ctx.commands.receiveCustomerMessage(workspaceId, {
          inboxId: inbox.id,
          // The API key authenticates the integrator, so its own customer id is proof of who wrote.
          identity: { kind: 'external', value: body.customer.externalId, verified: true, source: 'api' },
          extraIdentities: contactIdentities(body.customer),
          profile: { name: body.customer.name, email: body.customer.email, phone: body.customer.phone },
          text: body.text,
          attachments: body.attachments,
          idempotencyKey: `api:${body.messageId}`,
          clientMessageId: body.messageId,
        });
        return {
          conversationId: result.conversation.id,
          messageId: result.message.id,
          duplicate: result.duplicate,
        };
      },
    );
  };
