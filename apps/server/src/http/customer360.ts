// Agent assist over HTTP: the customer 360 overview, agents' notes on a customer (deletion audited), and
// the hand-off card of a conversation the bot passed to people (stored at hand-off, refreshed on demand).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CustomerNote,
  CustomerNoteBody,
  CustomerNoteParams,
  CustomerOverview,
  HandoffCard,
  IdParams,
} from '@zhike/contracts';
import { addCustomerNote, deleteCustomerNote, type HandoffCard as StoredCard } from '@zhike/core';
import Type from 'typebox';
import { customerOverview } from '../assist/customerOverview.ts';
import { actorOf, recordAudit } from '../audit.ts';
import { userOf } from '../auth/authenticate.ts';
import { type TargetNames, targetNamesOf } from '../bot/targetNames.ts';
import type { AppContext } from '../context.ts';
import { authorNames, maskedPii, noteDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

/**
 * The card as agents see it: personal slot values (phone, email, names, addresses) masked, intents named
 * as the bot names them now (the name stored at hand-off when the bot no longer has the target).
 */
const cardDto = (card: StoredCard, nameOf: TargetNames): HandoffCard => ({
  conversationId: card.conversationId,
  handedOffAt: card.handedOffAt,
  reason: card.reason,
  intents: card.intents.map((i) => ({ ...i, label: nameOf(i.target) ?? i.label })),
  sentiment: card.sentiment,
  slots: maskedPii.formFields(card.slots),
  botAnswers: card.botAnswers,
  summary: card.summary,
  computedAt: card.computedAt,
});

export const customer360Routes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (workspaceId: string) => ctx.db.forWorkspace(workspaceId);
    const namesOf = (workspaceId: string) => targetNamesOf(ctx, workspaceId);
    const deps = (workspaceId: string) => ({
      store: storeOf(workspaceId),
      clock: ctx.clock,
      newId: ctx.newId,
    });

    app.get(
      '/api/v1/customers/:id/overview',
      {
        config: { auth: 'session', permission: 'customers.read' },
        schema: {
          tags: ['customers'],
          summary:
            'Customer 360: identities, value, recent orders, past conversations and tickets with outcomes, last CSAT, notes',
          params: IdParams,
          response: { 200: CustomerOverview, ...problems },
        },
      },
      async (request) => {
        const { workspaceId } = userOf(request);
        const overview = await customerOverview(
          storeOf(workspaceId),
          request.params.id,
          await namesOf(workspaceId),
        );
        if (!overview) throw new HttpProblem('not_found', 'Customer not found');
        return overview;
      },
    );

    app.post(
      '/api/v1/customers/:id/notes',
      {
        config: { auth: 'session', permission: 'customers.notes' },
        schema: {
          tags: ['customers'],
          summary: 'Add a note about the customer for the team',
          params: IdParams,
          body: CustomerNoteBody,
          response: { 201: CustomerNote, ...problems },
        },
      },
      async (request, reply) => {
        const p = userOf(request);
        const note = await addCustomerNote(deps(p.workspaceId), {
          customerId: request.params.id,
          authorUserId: p.user.id,
          body: request.body.body,
        });
        return reply.code(201).send(noteDto(note, await authorNames(storeOf(p.workspaceId))));
      },
    );

    app.delete(
      '/api/v1/customers/:id/notes/:noteId',
      {
        config: { auth: 'session', permission: 'customers.notes' },
        schema: {
          tags: ['customers'],
          summary: 'Delete a note (its author, or a supervisor); the words are gone, the audit log says who',
          params: CustomerNoteParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const p = userOf(request);
        const note = await deleteCustomerNote(deps(p.workspaceId), {
          customerId: request.params.id,
          noteId: request.params.noteId,
          userId: p.user.id,
          mayDeleteOthers: p.permissions.has('customers.notes_manage'),
        });
        await recordAudit(ctx, {
          workspaceId: p.workspaceId,
          actor: actorOf(p),
          action: 'customer.note_deleted',
          target: { type: 'customer', id: note.customerId },
          // Ids only: the note's words are personal data and are gone.
          details: { noteId: note.id, authorUserId: note.authorUserId },
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/conversations/:id/handoff',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags: ['conversations'],
          summary: 'The hand-off card: intents, sentiment trend, collected slots, bot answers, summary',
          params: IdParams,
          response: { 200: HandoffCard, ...problems },
        },
      },
      async (request) => {
        const { workspaceId } = userOf(request);
        const conversation = await storeOf(workspaceId).conversations.get(request.params.id);
        if (!conversation) throw new HttpProblem('not_found', 'Conversation not found');
        // Stored at hand-off; a conversation handed off before cards existed gets one computed now.
        const card =
          (await ctx.handoffCards.get(workspaceId, conversation.id)) ??
          (conversation.handedOff ? await ctx.handoffCards.refresh(workspaceId, conversation.id) : null);
        if (!card) throw new HttpProblem('not_found', 'The conversation was not handed off by the bot');
        return cardDto(card, await namesOf(workspaceId));
      },
    );

    app.post(
      '/api/v1/conversations/:id/handoff/refresh',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags: ['conversations'],
          summary: 'Recompute the hand-off card from the conversation as it is now',
          params: IdParams,
          response: { 200: HandoffCard, ...problems },
        },
      },
      async (request) => {
        const { workspaceId } = userOf(request);
        const card = await ctx.handoffCards.refresh(workspaceId, request.params.id);
        if (!card) throw new HttpProblem('not_found', 'Conversation not found');
        return cardDto(card, await namesOf(workspaceId));
      },
    );
  };
