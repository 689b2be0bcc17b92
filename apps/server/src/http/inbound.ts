// The API channel for integrators: a customer message in, 200 once it is durably stored in its
// conversation, or, when the request says `Prefer: respond-async` (RFC 7240), 202 once it is durably
// held for the intake drain, which stores it moments later (the fast path for bulk senders: the answer
// costs one insert, and the work of finding the customer and conversation moves off the request).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InboundAccepted, InboundBody, InboundResult } from '@zhike/contracts';
import { normaliseIdentity, type ReceiveCustomerMessageInput } from '@zhike/core';
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

/** Whether the client asked to be answered before the work is done (`Prefer: respond-async`). */
const prefersAsync = (header: string | string[] | undefined) =>
  (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .some((p) => p.split(';')[0]?.trim().toLowerCase() === 'respond-async');

/** How long a sender turned away by a full intake is asked to wait. */
const HELD_FULL_RETRY_MS = 5_000;

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
          description:
            'Answers 200 once the message is stored in its conversation. With `Prefer: respond-async` it ' +
            'answers 202 once the message is durably held, and stores it moments later under the ' +
            '`messageId` of the answer (the conversation then arrives in the message.created webhook).',
          body: InboundBody,
          response: { 200: InboundResult, 202: InboundAccepted, ...problems },
        },
      },
      async (request, reply) => {
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
        const store = ctx.db.forWorkspace(workspaceId);
        const inbox = (await store.inboxes.list()).find((i) => i.channel === 'api');
        if (!inbox) throw new HttpProblem('conflict', 'This workspace has no API inbox');
        const body = request.body;
        const input: ReceiveCustomerMessageInput = {
          inboxId: inbox.id,
          // The API key authenticates the integrator, so its own customer id is proof of who wrote.
          identity: { kind: 'external', value: body.customer.externalId, verified: true, source: 'api' },
          extraIdentities: contactIdentities(body.customer),
          profile: { name: body.customer.name, email: body.customer.email, phone: body.customer.phone },
          text: body.text,
          attachments: body.attachments,
          idempotencyKey: `api:${body.messageId}`,
          clientMessageId: body.messageId,
        };
        if (prefersAsync(request.headers.prefer)) {
          void reply.code(202).header('preference-applied', 'respond-async');
          const stored = await store.intake.findStored(inbox.id, input.idempotencyKey);
          if (stored) return { ...stored, duplicate: true, status: 'stored' as const };
          const limit = ctx.config.limits.inboundHeldMax;
          if (limit > 0 && ctx.intake.held() >= limit)
            throw HttpProblem.retryLater(
              'unavailable',
              `${limit} accepted messages are still waiting to be stored; nothing was kept, send it again later`,
              HELD_FULL_RETRY_MS,
            );
          const held = await store.intake.hold({
            messageId: ctx.newId(),
            input,
            acceptedAt: ctx.clock.now().toISOString(),
          });
          if (!held.duplicate) {
            ctx.intake.noteHeld();
            ctx.intake.wake();
          }
          return { ...held, status: 'held' as const };
        }
        const result = await ctx.commands.receiveCustomerMessage(workspaceId, input);
        return {
          conversationId: result.conversation.id,
          messageId: result.message.id,
          duplicate: result.duplicate,
        };
      },
    );
  };
