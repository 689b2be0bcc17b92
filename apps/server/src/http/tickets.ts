// Tickets over REST: the list with filters, one ticket with its timeline, and the verbs that open, edit,
// assign, comment on and move a ticket (agents in the console, the shop's systems with an API key).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  TicketAssignBody,
  TicketBody,
  TicketCommentBody,
  TicketDetail,
  TicketEntry as TicketEntrySchema,
  TicketList,
  TicketMergeBody,
  TicketMergeView,
  TicketPatchBody,
  TicketQuery,
  TicketSolutions,
  TicketStatusBody,
  TicketView,
} from '@zhike/contracts';
import {
  similarSolvedTickets,
  TICKET_LIMITS,
  type TicketActor,
  type TicketFilter,
  ticketMoves,
} from '@zhike/core';
import Type from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext, Principal } from '../context.ts';
import { knowledgeHits } from '../knowledge/searchKnowledge.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';
import { ticketDto, ticketListItem, ticketListItems } from './ticketViews.ts';

const tags = ['tickets'];

export const ticketActor = (p: Principal): TicketActor =>
  p.kind === 'user' ? { type: 'user', id: p.user.id } : { type: 'api', id: p.apiKeyId };

export const ticketRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (principal: Principal) => ctx.db.forWorkspace(principal.workspaceId);

    app.get(
      '/api/v1/tickets',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.read' },
        schema: {
          tags,
          summary: 'Tickets, most recently changed first, filtered by status, priority, assignee, category…',
          querystring: TicketQuery,
          response: { 200: TicketList, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const q = request.query;
        const limit = q.limit ?? 50;
        const assignee =
          q.assignee === 'me' ? (principal.kind === 'user' ? principal.user.id : '') : q.assignee;
        const filter: TicketFilter = {
          limit,
          ...(q.status ? { status: [q.status] } : {}),
          ...(q.priority ? { priority: q.priority } : {}),
          ...(assignee === 'none' ? { assigneeId: null } : assignee ? { assigneeId: assignee } : {}),
          ...(q.category ? { category: q.category } : {}),
          ...(q.type ? { type: q.type } : {}),
          ...(q.queueId ? { queueId: q.queueId } : {}),
          ...(q.customerId ? { customerId: q.customerId } : {}),
          ...(q.conversationId ? { conversationId: q.conversationId } : {}),
          ...(q.before ? { before: q.before } : {}),
        };
        if (q.assignee === 'me' && principal.kind !== 'user')
          throw new HttpProblem('validation_failed', 'assignee=me needs a signed-in user');
        const store = storeOf(principal);
        const tickets = await store.tickets.list(filter);
        return {
          tickets: await ticketListItems(store, tickets, ctx.clock.now()),
          nextCursor: tickets.length === limit ? (tickets.at(-1)?.id ?? null) : null,
        };
      },
    );

    app.post(
      '/api/v1/tickets',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.manage' },
        schema: {
          tags,
          summary: 'Open a ticket (from a conversation: its customer and transcript come with it)',
          body: TicketBody,
          response: { 200: TicketView, 201: TicketView, ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { idempotencyKey, ...body } = request.body;
        const actor = ticketActor(principal);
        const result = await ctx.commands.tickets.open(principal.workspaceId, {
          ...body,
          source: principal.kind === 'user' ? 'agent' : 'api',
          actor,
          sourceKey: idempotencyKey ? `${actor.type}:${actor.id}:${idempotencyKey}` : null,
        });
        reply.code(result.created ? 201 : 200);
        return { ticket: ticketDto(result.ticket) };
      },
    );

    app.get(
      '/api/v1/tickets/:id',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.read' },
        schema: {
          tags,
          summary: 'One ticket with its timeline, watchers and attached files',
          params: IdParams,
          response: { 200: TicketDetail, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        const ticket = await store.tickets.get(request.params.id);
        if (!ticket) throw new HttpProblem('not_found', 'No such ticket');
        const [entries, watchers, attachmentIds, merged] = await Promise.all([
          store.tickets.entries(ticket.id),
          store.tickets.watchers.list(ticket.id),
          store.tickets.attachments.list(ticket.id),
          store.tickets.list({ limit: TICKET_LIMITS.listPage, mergedIntoId: ticket.id }),
        ]);
        return {
          ticket: await ticketListItem(store, ticket, ctx.clock.now()),
          moves: ticketMoves(ticket.status),
          entries,
          watchers,
          attachmentIds,
          merged: merged.map((m) => ({ id: m.id, number: m.number, subject: m.subject })),
        };
      },
    );

    app.get(
      '/api/v1/tickets/:id/solutions',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.read' },
        schema: {
          tags,
          summary: 'Suggested solutions: the knowledge the bot would answer from, and similar solved tickets',
          params: IdParams,
          response: { 200: TicketSolutions, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        const ticket = await store.tickets.get(request.params.id);
        if (!ticket) throw new HttpProblem('not_found', 'No such ticket');
        const text = `${ticket.subject} ${ticket.description ?? ''}`.trim();
        const workspace = await store.workspace.get();
        // The same retrieval as the bot and agent assist: a dry-run turn on the ticket's text.
        const preview = await ctx.bot.preview(store.workspaceId, workspace.locale, text);
        const similar = await similarSolvedTickets({ store }, { ticket, limit: 3 });
        return {
          ticketId: ticket.id,
          articles: preview ? knowledgeHits(preview.bot, preview.result, 3) : [],
          tickets: similar.map((s) => ({
            id: s.ticket.id,
            number: s.ticket.number,
            subject: s.ticket.subject,
            type: s.ticket.type,
            category: s.ticket.category,
            solvedAt: s.ticket.solvedAt,
            score: s.score,
            solution: s.solution,
          })),
        };
      },
    );

    app.patch(
      '/api/v1/tickets/:id',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.manage' },
        schema: {
          tags,
          summary: 'Edit subject, type, category, priority, custom fields or linked orders',
          params: IdParams,
          body: TicketPatchBody,
          response: { 200: TicketView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const result = await ctx.commands.tickets.update(principal.workspaceId, {
          ticketId: request.params.id,
          ...request.body,
          actor: ticketActor(principal),
        });
        return { ticket: ticketDto(result.ticket) };
      },
    );

    app.post(
      '/api/v1/tickets/:id/status',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.manage' },
        schema: {
          tags,
          summary: 'Move the ticket: open, pending (customer / third party), solved, closed',
          params: IdParams,
          body: TicketStatusBody,
          response: { 200: TicketView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const result = await ctx.commands.tickets.changeStatus(principal.workspaceId, {
          ticketId: request.params.id,
          status: request.body.status,
          pendingReason: request.body.pendingReason ?? null,
          note: request.body.note ?? null,
          actor: ticketActor(principal),
        });
        return { ticket: ticketDto(result.ticket) };
      },
    );

    app.post(
      '/api/v1/tickets/:id/assignment',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.manage' },
        schema: {
          tags,
          summary: 'Give the ticket to a person and/or a team (null takes it away)',
          params: IdParams,
          body: TicketAssignBody,
          response: { 200: TicketView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const result = await ctx.commands.tickets.assign(principal.workspaceId, {
          ticketId: request.params.id,
          assigneeId: request.body.assigneeId,
          ...(request.body.queueId !== undefined ? { queueId: request.body.queueId } : {}),
          actor: ticketActor(principal),
        });
        return { ticket: ticketDto(result.ticket) };
      },
    );

    app.post(
      '/api/v1/tickets/:id/comments',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.manage' },
        schema: {
          tags,
          summary: 'A public reply (sent to the customer) or an internal note (@mentions notify colleagues)',
          params: IdParams,
          body: TicketCommentBody,
          response: { 201: Type.Object({ entry: TicketEntrySchema }), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const result = await ctx.commands.tickets.comment(principal.workspaceId, {
          ticketId: request.params.id,
          body: request.body.body,
          visibility: request.body.visibility,
          actor: ticketActor(principal),
        });
        reply.code(201);
        return { entry: result.entry };
      },
    );

    app.post(
      '/api/v1/tickets/:id/merge',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.manage' },
        schema: {
          tags,
          summary:
            'Merge this duplicate into another ticket: it closes pointing there; watchers, orders, complaints move',
          params: IdParams,
          body: TicketMergeBody,
          response: { 200: TicketMergeView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const result = await ctx.commands.tickets.merge(principal.workspaceId, {
          ticketId: request.params.id,
          intoId: request.body.intoId,
          force: request.body.force ?? false,
          note: request.body.note ?? null,
          actor: ticketActor(principal),
        });
        return { ticket: ticketDto(result.ticket), into: ticketDto(result.into) };
      },
    );
  };
