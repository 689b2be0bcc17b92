// The agents' knowledge search: what the knowledge base holds for a few words, ranked by the bot's own
// understanding and retrieval, so an agent finds the answer the bot would have given.
import Type from 'typebox';

export const KnowledgeSearchBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 500, description: 'What the agent looks for' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 5 })),
  },
  { additionalProperties: false },
);
export type KnowledgeSearchBody = Type.Static<typeof KnowledgeSearchBody>;

export const KnowledgeSearchHit = Type.Object({
  /** The FAQ entry's id, or `<article id>#<n>` for an article's passage. */
  id: Type.String(),
  kind: Type.Union([Type.Literal('faq'), Type.Literal('article')]),
  title: Type.String({ description: "The FAQ's question, or the article's title and section" }),
  text: Type.String({ description: "The FAQ's answer, or the passage's text" }),
  score: Type.Number({ minimum: 0, description: "The bot's combined score, 0..1" }),
  url: Type.Union([Type.String(), Type.Null()], { description: "An article's page on the shop's site" }),
});
export type KnowledgeSearchHit = Type.Static<typeof KnowledgeSearchHit>;

export const KnowledgeSearchResult = Type.Object({ hits: Type.Array(KnowledgeSearchHit) });
export type KnowledgeSearchResult = Type.Static<typeof KnowledgeSearchResult>;
