// The agent's inbox: list and read conversations, reply, assign, change status.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AssignBody,
  Conversation,
  ConversationList,
  ConversationListQuery,
  IdParams,
  Message,
  MessageList,
  MessageListQuery,
  SendMessageBody,
  StatusBody,
} from '@zhike/contracts';
import type { WorkspaceStore } from '@zhike/core';
import { principalOf, userOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { authorNames, conversationDto, messageDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const encodeCursor = (c: { updatedAt: string; id: string }) =>
  Buffer.from(JSON.stringify([c.updatedAt, c.id])).toString('base64url');

function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { updatedAt: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new HttpProblem('validation_failed', 'Invalid cursor', [
    { path: 'querystring/cursor', message: 'is not a cursor from this API' },
  ]);
}

export async function conversationView(store: WorkspaceStore, id: string) {
  const summary = await store.conversations.summary(id);
  if (!summary) throw new HttpProblem('not_found', 'Conversation not found');
  return conversationDto(summary);
}

export const conversationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const store = (request: Parameters<typeof principalOf>[0]) =>
      ctx.db.forWorkspace(principalOf(request).workspaceId);
    const tags = ['conversations'];

    app.get(
      '/api/v1/conversations',
      {
        config: { auth: 'sessionOrApiKey', permission: 'conversations.read' },
        schema: {
          tags,
          summary: 'List conversations, newest activity first',
          querystring: ConversationListQuery,
          response: { 200: ConversationList, ...problems },
        },
      },
      async (request) => {
        const q = request.query;
        const limit = q.limit ?? 50;
        const principal = principalOf(request);
        const assignee = q.assignee ?? 'all';
        if (assignee === 'me' && principal.kind !== 'user')
          throw new HttpProblem('validation_failed', 'assignee=me needs a signed-in user');
        const rows = await store(request).conversations.list({
          assigneeId:
            assignee === 'all'
              ? undefined
              : assignee === 'unassigned'
                ? null
                : principal.kind === 'user'
                  ? principal.user.id
                  : undefined,
          status: q.status,
          limit: limit + 1,
          after: q.cursor ? decodeCursor(q.cursor) : undefined,
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          conversations: page.map(conversationDto),
          nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
        };
      },
    );

    app.get(
      '/api/v1/conversations/:id',
      {
        config: { auth: 'sessionOrApiKey', permission: 'conversations.read' },
        schema: {
          tags,
          summary: 'One conversation',
          params: IdParams,
          response: { 200: Conversation, ...problems },
        },
      },
      async (request) => conversationView(store(request), request.params.id),
    );

    app.get(
      '/api/v1/conversations/:id/messages',
      {
        config: { auth: 'sessionOrApiKey', permission: 'conversations.read' },
        schema: {
          tags,
          summary: 'The newest messages (before `before`, if given), oldest first; bot replies included',
          params: IdParams,
          querystring: MessageListQuery,
          response: { 200: MessageList, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        if (!(await s.conversations.get(request.params.id)))
          throw new HttpProblem('not_found', 'Conversation not found');
        const limit = request.query.limit ?? 50;
        // One extra row tells whether older messages remain; it is the oldest, so it is dropped.
        const rows = await s.messages.list(request.params.id, {
          before: request.query.before,
          limit: limit + 1,
        });
        const hasMore = rows.length > limit;
        const messages = hasMore ? rows.slice(rows.length - limit) : rows;
        const names = await authorNames(s);
        const deliveries = await s.channels.deliveries.forMessages(
          messages.filter((m) => m.author !== 'customer').map((m) => m.id),
        );
        return { messages: messages.map((m) => messageDto(m, names, deliveries)), hasMore };
      },
    );

    app.post(
      '/api/v1/conversations/:id/messages',
      {
        config: { auth: 'session', permission: 'conversations.reply' },
        schema: {
          tags,
          summary: 'Reply as the signed-in agent',
          params: IdParams,
          body: SendMessageBody,
          response: { 200: Message, 201: Message, ...problems },
        },
      },
      async (request, reply) => {
        const principal = userOf(request);
        // Live translation: the customer receives the reply in their language, agents keep the original.
        const translated = await translateReply(
          ctx,
          principal.workspaceId,
          request.params.id,
          request.body.text,
        );
        const result = await ctx.commands.replyAsAgent(principal.workspaceId, {
          conversationId: request.params.id,
          agentId: principal.user.id,
          text: translated?.text ?? request.body.text,
          clientMessageId: request.body.clientMessageId ?? null,
          ...(translated ? { language: translated.language, translation: translated.translation } : {}),
        });
        const names = new Map([[principal.user.id, principal.user.name]]);
        return reply.code(result.duplicate ? 200 : 201).send(messageDto(result.message, names));
      },
    );

    app.post(
      '/api/v1/conversations/:id/assign',
      {
        config: { auth: 'session', permission: 'conversations.assign_self' },
        schema: {
          tags,
          summary: 'Assign to an agent, or null to unassign',
          params: IdParams,
          body: AssignBody,
          response: { 200: Conversation, ...problems },
        },
      },
      async (request) => {
        const principal = userOf(request);
        await ctx.commands.assignConversation(principal.workspaceId, {
          conversationId: request.params.id,
          assigneeId: request.body.assigneeId,
          actor: { userId: principal.user.id, permissions: principal.permissions },
        });
        return conversationView(store(request), request.params.id);
      },
    );

    app.post(
      '/api/v1/conversations/:id/status',
      {
        config: { auth: 'session', permission: 'conversations.set_status' },
        schema: {
          tags,
          summary: 'Resolve, set pending, or reopen',
          params: IdParams,
          body: StatusBody,
          response: { 200: Conversation, ...problems },
        },
      },
      async (request) => {
        const principal = userOf(request);
        await ctx.commands.changeConversationStatus(principal.workspaceId, {
          conversationId: request.params.id,
          status: request.body.status,
        });
        return conversationView(store(request), request.params.id);
      },
    );
  };

/** The reply in the customer's language when the conversation is translated; a provider failure is a 503. */
async function translateReply(ctx: AppContext, workspaceId: string, conversationId: string, text: string) {
  try {
    return await ctx.translation.translateReply(workspaceId, conversationId, text);
  } catch (error) {
    ctx.log.warn({ err: error, workspaceId }, 'translating an agent reply failed');
    throw new HttpProblem(
      'unavailable',
      'The reply could not be translated; try again, or switch translation off to send it as written',
    );
  }
}
