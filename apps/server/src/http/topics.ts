// Topic and emotion reports over REST: the period's high-frequency problems and rising topics, and
// customer emotion per day or week (days in the workspace's time zone). Computed on demand and cached.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EmotionQuery, EmotionTrend, TopicReport, TopicsQuery } from '@zhike/contracts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

/** A bad range is the caller's input. */
const validated = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RangeError) throw new HttpProblem('validation_failed', error.message);
    throw error;
  }
};

export const topicRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/analytics/topics',
      {
        config: { auth: 'session', permission: 'analytics.read' },
        schema: {
          tags: ['analytics'],
          summary: "The period's high-frequency problems, and the topics rising against the previous period",
          description:
            "Customers' messages on every channel and callers' words to agents after a voice hand-off, " +
            'clustered into topics (how many is found, not fixed), each labelled by its key phrases with ' +
            'examples (phone numbers and emails masked), the intents, products and order numbers it mentions ' +
            'and its mood. A period of more than 5,000 messages is read as an even sample of 5,000. Rising: ' +
            'the share grew ≥ 50 % against the previous period of the same length, with ≥ 5 messages and z ≥ 1.96.',
          querystring: TopicsQuery,
          response: { 200: TopicReport, ...problems },
        },
      },
      async (request) => validated(() => ctx.topics.topics(principalOf(request).workspaceId, request.query)),
    );

    app.get(
      '/api/v1/analytics/emotion',
      {
        config: { auth: 'session', permission: 'analytics.read' },
        schema: {
          tags: ['analytics'],
          summary: 'Customer emotion per day or week, and how conversations went',
          description:
            "Each customer message's sentiment (score -1…1, anger 0…1) from the built-in NLU, averaged per " +
            'bucket; a conversation improved (or worsened) when its last message scores 0.3 above (below) its first.',
          querystring: EmotionQuery,
          response: { 200: EmotionTrend, ...problems },
        },
      },
      async (request) => validated(() => ctx.topics.emotion(principalOf(request).workspaceId, request.query)),
    );
  };
