// Agent assist over HTTP: the reply suggestions for a conversation's latest customer message (the console
// reloads them; new ones arrive as `suggestions` frames), the agent's verdict on them, and a
// conversation's satisfaction survey result.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AssistImpact,
  AssistImpactQuery,
  AssistSettingsBody,
  AssistSettingsView,
  ConversationSuggestions,
  CsatBody,
  CsatResult,
  IdParams,
  SuggestionFeedbackBody,
  SuggestionFeedbackResult,
} from '@zhike/contracts';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf, userOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { assistImpact } from '../metrics/assistImpact.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

export const assistRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['agent assist'];

    app.get(
      '/api/v1/conversations/:id/suggestions',
      {
        config: { auth: 'session', permission: 'conversations.reply' },
        schema: {
          tags,
          summary: 'Reply suggestions for the latest customer message',
          params: IdParams,
          response: { 200: ConversationSuggestions, ...problems },
        },
      },
      async (request) => {
        const principal = userOf(request);
        const store = ctx.db.forWorkspace(principal.workspaceId);
        const conversation = await store.conversations.get(request.params.id);
        if (!conversation) throw new HttpProblem('not_found', 'Conversation not found');
        const result = await ctx.assist.latest(principal.workspaceId, conversation.id, principal.user.id);
        return (
          result ?? {
            conversationId: conversation.id,
            messageId: null,
            intent: null,
            suggestions: [],
            latencyMs: 0,
          }
        );
      },
    );

    app.get(
      '/api/v1/assist/settings',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags,
          summary: 'Whether reply suggestions are offered, and when they were last turned on',
          response: { 200: AssistSettingsView, ...problems },
        },
      },
      async (request) => ctx.db.forWorkspace(principalOf(request).workspaceId).assistSettings.get(),
    );

    app.put(
      '/api/v1/assist/settings',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags,
          summary:
            'Turn reply suggestions on or off; turning them on starts the throughput before/after comparison',
          body: AssistSettingsBody,
          response: { 200: AssistSettingsView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = ctx.db.forWorkspace(principal.workspaceId);
        const before = await store.assistSettings.get();
        const after = await store.assistSettings.set(request.body.enabled, ctx.clock.now().toISOString());
        if (before.enabled !== after.enabled)
          await recordAudit(ctx, {
            workspaceId: principal.workspaceId,
            actor: actorOf(principal),
            action: 'assist.switched',
            target: { type: 'workspace', id: principal.workspaceId },
            details: { enabled: after.enabled },
          });
        return after;
      },
    );

    app.get(
      '/api/v1/metrics/assist-impact',
      {
        config: { auth: 'session', permission: 'metrics.read_team' },
        schema: {
          tags: ['metrics'],
          summary:
            'Agent throughput (conversations resolved per online hour) before and after assist was turned on',
          querystring: AssistImpactQuery,
          response: { 200: AssistImpact, ...problems },
        },
      },
      async (request) =>
        assistImpact(
          ctx.db.forWorkspace(principalOf(request).workspaceId),
          ctx.clock.now(),
          request.query.days ?? 28,
        ),
    );

    app.post(
      '/api/v1/conversations/:id/suggestions/feedback',
      {
        config: { auth: 'session', permission: 'conversations.reply' },
        schema: {
          tags,
          summary: 'Record what the agent did with the suggestions (accepted, edited, ignored)',
          params: IdParams,
          body: SuggestionFeedbackBody,
          response: { 200: SuggestionFeedbackResult, ...problems },
        },
      },
      async (request) => {
        const principal = userOf(request);
        const workspaceId = principal.workspaceId;
        const store = ctx.db.forWorkspace(workspaceId);
        const body = request.body;
        const result = await ctx.commands.recordSuggestionFeedback(
          workspaceId,
          {
            conversationId: request.params.id,
            messageId: body.messageId,
            userId: principal.user.id,
            action: body.action,
            rank: 'rank' in body ? body.rank : null,
            sentMessageId: 'sentMessageId' in body ? body.sentMessageId : null,
            latencyMs: body.latencyMs ?? null,
          },
          async () => {
            const [conversation, message] = await Promise.all([
              store.conversations.get(request.params.id),
              store.messages.get(body.messageId),
            ]);
            if (!conversation || !message) throw new HttpProblem('not_found', 'Conversation not found');
            return ctx.assist.forMessage(workspaceId, { conversation, message, agentId: principal.user.id });
          },
        );
        return {
          recorded: result.recorded,
          action: result.feedback.action,
          editRatio: result.feedback.editRatio,
        };
      },
    );

    app.post(
      '/api/v1/conversations/:id/csat',
      {
        config: { auth: 'sessionOrApiKey', permission: 'conversations.rate' },
        schema: {
          tags,
          summary: 'Record the satisfaction survey result (1–5, optional comment)',
          params: IdParams,
          body: CsatBody,
          response: { 200: CsatResult, ...problems },
        },
      },
      async (request) => {
        const { workspaceId } = principalOf(request);
        const rating = await ctx.commands.rateConversation(workspaceId, {
          conversationId: request.params.id,
          score: request.body.score,
          comment: request.body.comment ?? null,
        });
        return { conversationId: request.params.id, ...rating };
      },
    );
  };
