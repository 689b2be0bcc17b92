// One customer across channels, for agents: identities, the timeline of every conversation, merge
// suggestions to confirm or dismiss; and each inbox's secret for signed widget identities.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CustomerIdentityList,
  CustomerTimeline,
  IdentitySecret,
  IdParams,
  MergeCustomersBody,
  MergeResult,
  MergeSuggestion,
  MergeSuggestionList,
  MergeSuggestionQuery,
  TimelineQuery,
} from '@zhike/contracts';
import { type CustomerMergeSuggestion, customerTimeline, type WorkspaceStore } from '@zhike/core';
import { actorOf, recordAudit } from '../audit.ts';
import { userOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { authorNames, customerDto, identityDto, maskedPii, messageDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const TIMELINE_PAGE = 100;
const SUGGESTIONS_PAGE = 50;

/** Both sides of a suggestion as an agent compares them: masked name, identities, how much history. */
async function suggestionDto(
  store: WorkspaceStore,
  s: CustomerMergeSuggestion,
): Promise<Omit<MergeSuggestion, 'status'> & { status: CustomerMergeSuggestion['status'] }> {
  const side = async (id: string) => {
    const customer = await store.customers.get(id);
    const conversations = customer ? await store.conversations.listByCustomer(customer.id) : [];
    return {
      id: customer?.id ?? id,
      name: maskedPii.name(customer?.name ?? null),
      identities: (customer?.identities ?? []).map(identityDto),
      conversationCount: conversations.length,
    };
  };
  return {
    id: s.id,
    customer: await side(s.customerId),
    candidate: await side(s.candidateId),
    identityKind: s.identityKind,
    status: s.status,
    createdAt: s.createdAt,
  };
}

export const customerRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (workspaceId: string) => ctx.db.forWorkspace(workspaceId);

    app.get(
      '/api/v1/customers/:id/timeline',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags: ['customers'],
          summary: 'Every conversation of the customer on every channel, messages oldest first',
          params: IdParams,
          querystring: TimelineQuery,
          response: { 200: CustomerTimeline, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(userOf(request).workspaceId);
        const timeline = await customerTimeline(
          { store },
          {
            customerId: request.params.id,
            limit: request.query.limit ?? TIMELINE_PAGE,
            ...(request.query.after ? { after: request.query.after } : {}),
          },
        );
        const [inboxes, names] = await Promise.all([store.inboxes.list(), authorNames(store)]);
        const inboxName = new Map(inboxes.map((i) => [i.id, i.name]));
        const conversationById = new Map(timeline.conversations.map((c) => [c.id, c]));
        return {
          customerId: timeline.customer.id,
          conversations: timeline.conversations.map((c) => ({
            id: c.id,
            inboxId: c.inboxId,
            inboxName: inboxName.get(c.inboxId) ?? '',
            channel: c.channel,
            status: c.status,
            createdAt: c.createdAt,
            updatedAt: c.updatedAt,
          })),
          messages: timeline.messages.map((m) => ({
            ...messageDto(m, names),
            inboxId: m.inboxId,
            inboxName: inboxName.get(m.inboxId) ?? '',
            channel: conversationById.get(m.conversationId)?.channel ?? 'api',
          })),
          hasMore: timeline.hasMore,
        };
      },
    );

    app.get(
      '/api/v1/customers/:id/identities',
      {
        config: { auth: 'session', permission: 'customers.read' },
        schema: {
          tags: ['customers'],
          summary: 'How the customer is known on each channel, and whether the channel proved it',
          params: IdParams,
          response: { 200: CustomerIdentityList, ...problems },
        },
      },
      async (request) => {
        const customer = await storeOf(userOf(request).workspaceId).customers.get(request.params.id);
        if (!customer) throw new HttpProblem('not_found', 'Customer not found');
        return { identities: customer.identities.map(identityDto) };
      },
    );

    app.get(
      '/api/v1/customer-merge-suggestions',
      {
        config: { auth: 'session', permission: 'customers.read' },
        schema: {
          tags: ['customers'],
          summary: 'Open suggestions that two customers are one person (optionally for one customer)',
          querystring: MergeSuggestionQuery,
          response: { 200: MergeSuggestionList, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(userOf(request).workspaceId);
        const limit = request.query.limit ?? SUGGESTIONS_PAGE;
        let customerId = request.query.customerId;
        if (customerId !== undefined) {
          // An old (merged-away) id asks about the customer it became.
          const customer = await store.customers.get(customerId);
          if (!customer) throw new HttpProblem('not_found', 'Customer not found');
          customerId = customer.id;
        }
        const open = await store.customerMerges.openSuggestions({
          limit,
          ...(customerId !== undefined ? { customerId } : {}),
        });
        return { suggestions: await Promise.all(open.map((s) => suggestionDto(store, s))) };
      },
    );

    app.post(
      '/api/v1/customers/:id/merge',
      {
        config: { auth: 'session', permission: 'customers.merge' },
        schema: {
          tags: ['customers'],
          summary: 'Merge another customer into this one (everything of theirs moves here)',
          params: IdParams,
          body: MergeCustomersBody,
          response: { 200: MergeResult, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        const store = storeOf(p.workspaceId);
        const { absorbedCustomerId } = request.body;
        const result = await ctx.commands.mergeCustomers(
          p.workspaceId,
          {
            survivorId: request.params.id,
            absorbedId: absorbedCustomerId,
            reason: 'agent',
            suggestionId: null,
            mergedBy: p.user.id,
          },
          actorOf(p),
        );
        const customer = await store.customers.get(result.merge.survivorId);
        if (!customer) throw new HttpProblem('not_found', 'Customer not found');
        return {
          mergeId: result.merge.id,
          customer: customerDto(customer),
          absorbedCustomerId: result.merge.absorbedId,
          moved: result.merge.moved,
        };
      },
    );

    app.post(
      '/api/v1/customer-merge-suggestions/:id/dismiss',
      {
        config: { auth: 'session', permission: 'customers.merge' },
        schema: {
          tags: ['customers'],
          summary: 'The two customers are different people: close the suggestion',
          params: IdParams,
          response: { 200: MergeSuggestion, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        const suggestion = await ctx.commands.dismissMergeSuggestion(p.workspaceId, {
          suggestionId: request.params.id,
          userId: p.user.id,
        });
        return suggestionDto(storeOf(p.workspaceId), suggestion);
      },
    );

    app.get(
      '/api/v1/inboxes/:id/identity-secret',
      {
        config: { auth: 'session', permission: 'inboxes.read_secrets' },
        schema: {
          tags: ['inboxes'],
          summary: 'The secret your server signs widget identities with (created on first read)',
          params: IdParams,
          response: { 200: IdentitySecret, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(userOf(request).workspaceId);
        const inbox = await store.inboxes.get(request.params.id);
        if (!inbox) throw new HttpProblem('not_found', 'Inbox not found');
        const existing = await store.inboxes.identitySecret(inbox.id);
        if (existing) return { inboxId: inbox.id, secret: existing };
        // Two first reads at once must hand out the same secret: only the first write sticks.
        await store.inboxes.setIdentitySecret(inbox.id, randomBytes(32).toString('hex'), {
          onlyIfUnset: true,
        });
        const secret = await store.inboxes.identitySecret(inbox.id);
        if (!secret) throw new HttpProblem('not_found', 'Inbox not found');
        return { inboxId: inbox.id, secret };
      },
    );

    app.post(
      '/api/v1/inboxes/:id/identity-secret/rotate',
      {
        config: { auth: 'session', permission: 'inboxes.manage' },
        schema: {
          tags: ['inboxes'],
          summary: 'Replace the identity secret; signatures made with the old one stop verifying',
          params: IdParams,
          response: { 200: IdentitySecret, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        const store = storeOf(p.workspaceId);
        const inbox = await store.inboxes.get(request.params.id);
        if (!inbox) throw new HttpProblem('not_found', 'Inbox not found');
        const secret = randomBytes(32).toString('hex');
        await store.inboxes.setIdentitySecret(inbox.id, secret);
        await recordAudit(ctx, {
          workspaceId: p.workspaceId,
          actor: actorOf(p),
          action: 'inbox.identity_secret_rotated',
          target: { type: 'inbox', id: inbox.id },
          details: {},
        });
        return { inboxId: inbox.id, secret };
      },
    );
  };
