// The API channel for integrators: a customer message in, 200 once it is durably stored.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InboundBody, InboundResult } from '@zhike/contracts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
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
        const inbox = (await ctx.db.forWorkspace(workspaceId).inboxes.list()).find(
          (i) => i.channel === 'api',
        );
        if (!inbox) throw new HttpProblem('conflict', 'This workspace has no API inbox');
        const body = request.body;
        const result = await ctx.commands.receiveCustomerMessage(workspaceId, {
          inboxId: inbox.id,
          identity: { kind: 'external', value: body.customer.externalId },
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
