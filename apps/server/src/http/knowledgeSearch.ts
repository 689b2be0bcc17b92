// POST /api/v1/knowledge/search: the agents' knowledge search box (the conversation view), answered by
// the workspace bot's own understanding and retrieval; nothing is stored or sent.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { KnowledgeSearchBody, KnowledgeSearchResult } from '@zhike/contracts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { knowledgeHits } from '../knowledge/searchKnowledge.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

export const knowledgeSearchRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/knowledge/search',
      {
        config: { auth: 'sessionOrApiKey', permission: 'knowledge.read' },
        schema: {
          tags: ['knowledge'],
          summary: 'Search the knowledge base the way the bot reads a message (nothing is stored or sent)',
          description:
            'FAQ entries and article passages for the text, best first: the passages a dry-run bot turn ' +
            'answers from, and the FAQ entries its understanding ranks close to the best candidate.',
          body: KnowledgeSearchBody,
          response: { 200: KnowledgeSearchResult, ...problems },
        },
      },
      async (request) => {
        const store = ctx.db.forWorkspace(principalOf(request).workspaceId);
        const workspace = await store.workspace.get();
        const preview = await ctx.bot.preview(store.workspaceId, workspace.locale, request.body.text);
        if (!preview) throw new HttpProblem('conflict', 'The bot is not set up yet');
        return { hits: knowledgeHits(preview.bot, preview.result, request.body.limit ?? 5) };
      },
    );
  };
