// The knowledge base (FAQ entries and articles) the bot answers from: CRUD, search, import and "try it".
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';

const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });
const Tag = Type.String({ minLength: 1, maxLength: 32, pattern: '^[^,|\\n]+$' });
const Tags = Type.Array(Tag, { maxItems: 20 });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const KNOWLEDGE_LIMITS = {
  question: 200,
  similarQuestion: 200,
  similarQuestions: 50,
  answer: 2000,
  keyword: 32,
  keywords: 20,
  title: 200,
  body: 50_000,
} as const;

export const KnowledgeFaq = Type.Object({
  id: Id,
  question: Type.String(),
  similarQuestions: Type.Array(Type.String()),
  answer: Type.String(),
  keywords: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  origin: Nullable(Type.String({ description: 'Template FAQ id it was seeded from; null for your own' })),
  edited: Type.Boolean({ description: 'A template entry you changed: template updates leave it alone' }),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type KnowledgeFaq = Type.Static<typeof KnowledgeFaq>;

const faqFields = {
  question: Text(KNOWLEDGE_LIMITS.question),
  similarQuestions: Type.Array(Text(KNOWLEDGE_LIMITS.similarQuestion), {
    maxItems: KNOWLEDGE_LIMITS.similarQuestions,
  }),
  answer: Text(KNOWLEDGE_LIMITS.answer, 'May use the template variables, e.g. {{shop.hours}}'),
  tags: Tags,
  enabled: Type.Boolean(),
  keywords: Type.Array(Text(KNOWLEDGE_LIMITS.keyword), { maxItems: KNOWLEDGE_LIMITS.keywords }),
};

export const CreateKnowledgeFaqBody = Type.Object(
  {
    question: faqFields.question,
    similarQuestions: faqFields.similarQuestions,
    answer: faqFields.answer,
    tags: faqFields.tags,
    enabled: faqFields.enabled,
    keywords: Type.Optional(faqFields.keywords),
  },
  { additionalProperties: false },
);
export type CreateKnowledgeFaqBody = Type.Static<typeof CreateKnowledgeFaqBody>;

export const UpdateKnowledgeFaqBody = Type.Object(
  {
    question: Type.Optional(faqFields.question),
    similarQuestions: Type.Optional(faqFields.similarQuestions),
    answer: Type.Optional(faqFields.answer),
    tags: Type.Optional(faqFields.tags),
    enabled: Type.Optional(faqFields.enabled),
    keywords: Type.Optional(faqFields.keywords),
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The version you edited; 409 when someone saved since' }),
    ),
  },
  { additionalProperties: false },
);
export type UpdateKnowledgeFaqBody = Type.Static<typeof UpdateKnowledgeFaqBody>;

export const KnowledgeQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text contained in the entry' })),
    tag: Type.Optional(Tag),
    enabled: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
  },
  { additionalProperties: false },
);
export type KnowledgeQuery = Type.Static<typeof KnowledgeQuery>;

export const KnowledgeFaqList = Type.Object({
  faqs: Type.Array(KnowledgeFaq),
  tags: Type.Array(Type.String(), { description: 'Every tag in use (entries and articles)' }),
});
export type KnowledgeFaqList = Type.Static<typeof KnowledgeFaqList>;

export const KnowledgeArticle = Type.Object({
  id: Id,
  title: Type.String(),
  body: Type.String({ description: 'Markdown' }),
  tags: Type.Array(Type.String()),
  sourceUrl: Nullable(Type.String()),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type KnowledgeArticle = Type.Static<typeof KnowledgeArticle>;

const SourceUrl = Nullable(
  Type.String({
    maxLength: 500,
    pattern: '^https?://[^\\s]+$',
    description: 'http(s) link shown with quotes',
  }),
);

export const CreateKnowledgeArticleBody = Type.Object(
  {
    title: Text(KNOWLEDGE_LIMITS.title),
    body: Text(KNOWLEDGE_LIMITS.body, 'Markdown'),
    tags: Tags,
    enabled: Type.Boolean(),
    sourceUrl: Type.Optional(SourceUrl),
  },
  { additionalProperties: false },
);
export type CreateKnowledgeArticleBody = Type.Static<typeof CreateKnowledgeArticleBody>;

export const UpdateKnowledgeArticleBody = Type.Object(
  {
    title: Type.Optional(Text(KNOWLEDGE_LIMITS.title)),
    body: Type.Optional(Text(KNOWLEDGE_LIMITS.body)),
    tags: Type.Optional(Tags),
    enabled: Type.Optional(Type.Boolean()),
    sourceUrl: Type.Optional(SourceUrl),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type UpdateKnowledgeArticleBody = Type.Static<typeof UpdateKnowledgeArticleBody>;

export const KnowledgeArticleList = Type.Object({ articles: Type.Array(KnowledgeArticle) });
export type KnowledgeArticleList = Type.Static<typeof KnowledgeArticleList>;

export const TryKnowledgeBody = Type.Object(
  { text: Text(500, 'A customer message') },
  { additionalProperties: false },
);
export type TryKnowledgeBody = Type.Static<typeof TryKnowledgeBody>;

const TargetKind = Type.Union([Type.Literal('faq'), Type.Literal('article'), Type.Literal('intent')]);

export const TryKnowledgeResult = Type.Object({
  decision: Type.Union(
    [Type.Literal('answer'), Type.Literal('clarify'), Type.Literal('handoff'), Type.Literal('action')],
    {
      description:
        'answer = from the knowledge base; clarify = asks which of the candidates; handoff = to a human; action = a dialogue intent (order lookup, form, small talk)',
    },
  ),
  replies: Type.Array(Type.String()),
  chosen: Nullable(Type.Object({ kind: TargetKind, id: Type.String(), title: Type.String() })),
  confidence: Type.Number(),
  candidates: Type.Array(
    Type.Object({ kind: TargetKind, id: Type.String(), title: Type.String(), score: Type.Number() }),
  ),
  passages: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal('faq'), Type.Literal('article')]),
      title: Type.String(),
      text: Type.String(),
      score: Type.Number(),
      url: Nullable(Type.String()),
    }),
  ),
});
export type TryKnowledgeResult = Type.Static<typeof TryKnowledgeResult>;

export const KnowledgeImportFormat = Type.Union([
  Type.Literal('csv'),
  Type.Literal('xlsx'),
  Type.Literal('markdown'),
]);
export type KnowledgeImportFormat = Type.Static<typeof KnowledgeImportFormat>;

export const KnowledgeImportQuery = Type.Object(
  {
    format: Type.Optional(KnowledgeImportFormat),
    /** Markdown only: `faqs` = each `## heading` a question; `article` = the whole file one article. */
    as: Type.Optional(Type.Union([Type.Literal('faqs'), Type.Literal('article')])),
    dryRun: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'true' })),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: KNOWLEDGE_LIMITS.title })),
  },
  { additionalProperties: false },
);
export type KnowledgeImportQuery = Type.Static<typeof KnowledgeImportQuery>;

export const KnowledgeImportRow = Type.Object({
  line: Type.Integer({ description: 'Line (CSV, Markdown) or row (XLSX) in the file' }),
  action: Type.Union([
    Type.Literal('create'),
    Type.Literal('update'),
    Type.Literal('skip'),
    Type.Literal('error'),
  ]),
  question: Type.String({ description: 'The question, or the article title' }),
  answer: Type.String(),
  similarQuestions: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  errors: Type.Array(Type.String()),
});
export type KnowledgeImportRow = Type.Static<typeof KnowledgeImportRow>;

export const KnowledgeImportResult = Type.Object({
  dryRun: Type.Boolean(),
  format: KnowledgeImportFormat,
  kind: Type.Union([Type.Literal('faqs'), Type.Literal('article')]),
  encoding: Type.String({ description: 'utf-8 or gb18030 (detected)' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Integer(),
  rows: Type.Array(KnowledgeImportRow),
});
export type KnowledgeImportResult = Type.Static<typeof KnowledgeImportResult>;

/** Content types `POST /api/knowledge/import` accepts as the raw request body. */
export const KNOWLEDGE_IMPORT_TYPES = {
  csv: ['text/csv', 'application/csv', 'application/vnd.ms-excel'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  markdown: ['text/markdown', 'text/x-markdown'],
} as const;
