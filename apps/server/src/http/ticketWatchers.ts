// Who follows a ticket (watchers: list, add, remove) and, for the signed-in agent, the internal notes
// that @mention them, newest first — the list behind the console's mention alerts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  MyMentions,
  MyMentionsQuery,
  TicketWatchBody,
  TicketWatcherParams,
  TicketWatchers,
} from '@zhike/contracts';
import { watchTicket } from '@zhike/core';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext, Principal } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';
import { ticketActor } from './tickets.ts';

const tags = ['tickets'];

export const ticketWatcherRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps = (principal: Principal) => ({
      store: ctx.db.forWorkspace(principal.workspaceId),
      clock: ctx.clock,
      newId: ctx.newId,
    });

    app.get(
      '/api/v1/tickets/:id/watchers',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.read' },
        schema: {
          tags,
          summary: "The ticket's watchers (user ids)",
          params: IdParams,
          response: { 200: TicketWatchers, ...problems },
        },
      },
      async (request) => {
        const store = deps(principalOf(request)).store;
        if (!(await store.tickets.get(request.params.id)))
          throw new HttpProblem('not_found', 'No such ticket');
        return { watchers: await store.tickets.watchers.list(request.params.id) };
      },
    );

    app.post(
      '/api/v1/tickets/:id/watchers',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.manage' },
        schema: {
          tags,
          summary: 'Add a watcher (yourself when no userId is given)',
          params: IdParams,
          body: TicketWatchBody,
          response: { 200: TicketWatchers, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const userId = request.body.userId ?? (principal.kind === 'user' ? principal.user.id : null);
        if (!userId) throw new HttpProblem('validation_failed', 'An API key names the userId to add');
        return watchTicket(deps(principal), {
          ticketId: request.params.id,
          userId,
          watch: true,
          actor: ticketActor(principal),
        });
      },
    );

    app.delete(
      '/api/v1/tickets/:id/watchers/:userId',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.manage' },
        schema: {
          tags,
          summary: 'Remove a watcher',
          params: TicketWatcherParams,
          response: { 200: TicketWatchers, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return watchTicket(deps(principal), {
          ticketId: request.params.id,
          userId: request.params.userId,
          watch: false,
          actor: ticketActor(principal),
        });
      },
    );

    app.get(
      '/api/v1/me/mentions',
      {
        config: { auth: 'session', permission: 'tickets.read' },
        schema: {
          tags,
          summary: 'Internal ticket notes that @mention you, newest first',
          querystring: MyMentionsQuery,
          response: { 200: MyMentions, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        if (principal.kind !== 'user') throw new HttpProblem('forbidden', 'Mentions are for signed-in users');
        const store = deps(principal).store;
        return { mentions: await store.tickets.mentionsOf(principal.user.id, request.query.limit ?? 20) };
      },
    );
  };
