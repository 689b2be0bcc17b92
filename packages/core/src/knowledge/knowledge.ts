// The workspace knowledge base the bot answers from: FAQ entries and Markdown articles, and the
// repository port packages/db implements (scoped to one workspace like every other repository).

export interface KnowledgeFaq {
  id: string;
  question: string;
  similarQuestions: string[];
  answer: string;
  /** Retrieval hints (words a question about this entry is likely to contain). */
  keywords: string[];
  tags: string[];
  enabled: boolean;
  /** The template FAQ id this entry was seeded from; null when the owner wrote it. */
  origin: string | null;
  /** The owner changed a template entry's content: template syncs never overwrite or remove it. */
  edited: boolean;
  /** Starts at 1; every update adds one (optimistic concurrency for editors). */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface KnowledgeArticle {
  id: string;
  title: string;
  /** Markdown. */
  body: string;
  tags: string[];
  /** Where the article lives on the shop's own site; the bot links to it when it quotes the article. */
  sourceUrl: string | null;
  enabled: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type KnowledgeFaqInput = Pick<
  KnowledgeFaq,
  'question' | 'similarQuestions' | 'answer' | 'keywords' | 'tags' | 'enabled'
>;
export type KnowledgeArticleInput = Pick<
  KnowledgeArticle,
  'title' | 'body' | 'tags' | 'sourceUrl' | 'enabled'
>;

export interface KnowledgeFilter {
  /** Substring of the question, a similar question or the answer (articles: title or body), any case. */
  query?: string;
  tag?: string;
  enabled?: boolean;
  limit: number;
}

/** Which template the template-origin entries were last synced with, and the version every change bumps. */
export interface KnowledgeState {
  version: number;
  templateId: string | null;
  templateLocale: string | null;
  /** Digest of the template FAQs last synced: a changed template file is synced again. */
  templateDigest: string | null;
  /** Template FAQ ids the owner deleted; a sync never brings them back. */
  dismissedOrigins: string[];
}

/** What an update may change; `expectedVersion` refuses the write when someone else saved first. */
export interface KnowledgeUpdate<T> {
  patch: Partial<T>;
  expectedVersion?: number;
  /**
   * Whether the entry becomes the owner's. By default a change of content (not of `enabled`) marks a
   * template entry edited; template syncs pass false to refresh content without claiming it.
   */
  edited?: boolean;
}

export type UpdateOutcome<T> =
  | { status: 'updated'; item: T }
  | { status: 'not_found' }
  | { status: 'stale'; item: T };

/** Every mutator bumps the knowledge version; run several in `store.transaction` to bump atomically. */
export interface KnowledgeRepository {
  state(): Promise<KnowledgeState | null>;
  /**
   * Creates the state row if absent and returns it locked until the transaction ends (PostgreSQL), so
   * only one of several concurrent template syncs does the work.
   */
  lockState(at: string): Promise<KnowledgeState>;
  saveTemplateSync(
    sync: Pick<KnowledgeState, 'templateId' | 'templateLocale' | 'templateDigest' | 'dismissedOrigins'>,
    at: string,
  ): Promise<void>;
  /** Every tag in use on FAQ entries and articles, sorted. */
  tags(): Promise<string[]>;
  faqs: {
    list(filter: KnowledgeFilter): Promise<KnowledgeFaq[]>;
    /** Every entry, enabled or not, oldest first (for syncs, imports and compiling the bot). */
    all(): Promise<KnowledgeFaq[]>;
    get(id: string): Promise<KnowledgeFaq | null>;
    create(input: KnowledgeFaqInput & { origin?: string | null }, at: string): Promise<KnowledgeFaq>;
    update(
      id: string,
      update: KnowledgeUpdate<KnowledgeFaqInput>,
      at: string,
    ): Promise<UpdateOutcome<KnowledgeFaq>>;
    delete(id: string, at: string): Promise<KnowledgeFaq | null>;
  };
  articles: {
    list(filter: KnowledgeFilter): Promise<KnowledgeArticle[]>;
    all(): Promise<KnowledgeArticle[]>;
    get(id: string): Promise<KnowledgeArticle | null>;
    create(input: KnowledgeArticleInput, at: string): Promise<KnowledgeArticle>;
    update(
      id: string,
      update: KnowledgeUpdate<KnowledgeArticleInput>,
      at: string,
    ): Promise<UpdateOutcome<KnowledgeArticle>>;
    delete(id: string, at: string): Promise<KnowledgeArticle | null>;
  };
}
