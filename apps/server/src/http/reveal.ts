// POST /customers/:id/reveal: the only way clear customer personal data leaves the server. Needs the
// customers.reveal permission, names the fields, and leaves an audit entry (who, which customer, which
// fields: never the values).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, RevealBody, RevealedCustomer } from '@zhike/contracts';
import { actorOf, recordAudit } from '../audit.ts';
import { userOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { revealedCustomerDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

export const revealRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/customers/:id/reveal',
      {
        config: { auth: 'session', permission: 'customers.reveal' },
        schema: {
          tags: ['customers'],
          summary: 'Show masked customer fields in clear (audited)',
          params: IdParams,
          body: RevealBody,
          response: { 200: RevealedCustomer, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        const customer = await ctx.db.forWorkspace(p.workspaceId).customers.get(request.params.id);
        if (!customer) throw new HttpProblem('not_found', 'Customer not found');
        const fields = [...request.body.fields].sort();
        await recordAudit(ctx, {
          workspaceId: p.workspaceId,
          actor: actorOf(p),
          action: 'pii.revealed',
          target: { type: 'customer', id: customer.id },
          details: { fields: fields.join(',') },
        });
        return revealedCustomerDto(customer, fields);
      },
    );
  };
