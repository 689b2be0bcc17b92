// Each workspace's ticket configuration over REST: custom field definitions (agents and integrations read
// them to fill tickets in), assignment rules, and the reopen window and customer notifications. Admins
// write (`tickets.configure`); every change is audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  TicketAssignmentRuleBody,
  TicketAssignmentRuleList,
  TicketAssignmentRuleView,
  TicketFieldBody,
  TicketFieldList,
  TicketFieldPatchBody,
  TicketFieldView,
  TicketSettings,
} from '@zhike/contracts';
import { changeTicketField, defineTicketField, setTicketAssignmentRule } from '@zhike/core';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext, Principal } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const tags = ['tickets'];

export const ticketSettingsRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps = (principal: Principal) => ({
      store: ctx.db.forWorkspace(principal.workspaceId),
      clock: ctx.clock,
      newId: ctx.newId,
    });
    const audit = (principal: Principal, change: string, id: string) =>
      recordAudit(ctx, {
        workspaceId: principal.workspaceId,
        actor: actorOf(principal),
        action: 'settings.changed',
        target: { type: 'tickets', id },
        details: { setting: 'tickets', change },
      });

    app.get(
      '/api/v1/ticket-settings',
      {
        config: { auth: 'session', permission: 'tickets.configure' },
        schema: {
          tags,
          summary: 'The reopen window and whether customers hear of status changes',
          response: { 200: TicketSettings, ...problems },
        },
      },
      async (request) => {
        const { reopenDays, notifyCustomer } = await deps(principalOf(request)).store.tickets.settings.get();
        return { reopenDays, notifyCustomer };
      },
    );

    app.put(
      '/api/v1/ticket-settings',
      {
        config: { auth: 'session', permission: 'tickets.configure' },
        schema: {
          tags,
          summary: 'Change the reopen window and customer notifications',
          body: TicketSettings,
          response: { 200: TicketSettings, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = deps(principal).store;
        const current = await store.tickets.settings.get();
        await store.tickets.settings.save({ ...current, ...request.body }, ctx.clock.now().toISOString());
        await audit(principal, 'settings', principal.workspaceId);
        return request.body;
      },
    );

    app.get(
      '/api/v1/ticket-fields',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.read' },
        schema: {
          tags,
          summary: "The workspace's custom ticket fields in order (archived ones too, flagged)",
          response: { 200: TicketFieldList, ...problems },
        },
      },
      async (request) => ({ fields: await deps(principalOf(request)).store.tickets.fieldDefinitions.list() }),
    );

    app.post(
      '/api/v1/ticket-fields',
      {
        config: { auth: 'session', permission: 'tickets.configure' },
        schema: {
          tags,
          summary: 'Add a custom ticket field (text, number, select with options, date)',
          body: TicketFieldBody,
          response: { 201: TicketFieldView, ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const field = await defineTicketField(deps(principal), request.body);
        await audit(principal, 'field.created', field.id);
        reply.code(201);
        return { field };
      },
    );

    app.patch(
      '/api/v1/ticket-fields/:id',
      {
        config: { auth: 'session', permission: 'tickets.configure' },
        schema: {
          tags,
          summary: "Change a field's labels, options, required flag or order, or archive it",
          params: IdParams,
          body: TicketFieldPatchBody,
          response: { 200: TicketFieldView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const field = await changeTicketField(deps(principal), {
          id: request.params.id,
          change: request.body,
        });
        await audit(principal, 'field.updated', field.id);
        return { field };
      },
    );

    app.delete(
      '/api/v1/ticket-fields/:id',
      {
        config: { auth: 'session', permission: 'tickets.configure' },
        schema: {
          tags,
          summary: 'Archive a field: tickets keep their values, no new ones are taken',
          params: IdParams,
          response: { ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        // Archived, not deleted: old tickets still hold values under the key, and a new field reusing it
        // would give those values a different meaning.
        await changeTicketField(deps(principal), { id: request.params.id, change: { archived: true } });
        await audit(principal, 'field.archived', request.params.id);
        reply.code(204);
      },
    );

    app.get(
      '/api/v1/ticket-assignment-rules',
      {
        config: { auth: 'session', permission: 'tickets.configure' },
        schema: {
          tags,
          summary: 'Ticket assignment rules by position (the first enabled match decides)',
          response: { 200: TicketAssignmentRuleList, ...problems },
        },
      },
      async (request) => ({ rules: await deps(principalOf(request)).store.tickets.assignmentRules.list() }),
    );

    app.post(
      '/api/v1/ticket-assignment-rules',
      {
        config: { auth: 'session', permission: 'tickets.configure' },
        schema: {
          tags,
          summary: 'Add an assignment rule (placed last unless a position is given)',
          body: TicketAssignmentRuleBody,
          response: { 201: TicketAssignmentRuleView, ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const rule = await setTicketAssignmentRule(deps(principal), request.body);
        await audit(principal, 'rule.created', rule.id);
        reply.code(201);
        return { rule };
      },
    );

    app.put(
      '/api/v1/ticket-assignment-rules/:id',
      {
        config: { auth: 'session', permission: 'tickets.configure' },
        schema: {
          tags,
          summary: 'Replace an assignment rule (tickets already assigned stay where they are)',
          params: IdParams,
          body: TicketAssignmentRuleBody,
          response: { 200: TicketAssignmentRuleView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const rule = await setTicketAssignmentRule(deps(principal), {
          ...request.body,
          id: request.params.id,
        });
        await audit(principal, 'rule.updated', rule.id);
        return { rule };
      },
    );

    app.delete(
      '/api/v1/ticket-assignment-rules/:id',
      {
        config: { auth: 'session', permission: 'tickets.configure' },
        schema: { tags, summary: 'Delete an assignment rule', params: IdParams, response: { ...problems } },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (!(await deps(principal).store.tickets.assignmentRules.remove(request.params.id)))
          throw new HttpProblem('not_found', 'No such assignment rule');
        await audit(principal, 'rule.deleted', request.params.id);
        reply.code(204);
      },
    );
  };
