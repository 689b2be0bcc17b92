// The knowledge base (migration 0005): FAQ entries, articles and the per-workspace state row whose
// version every change bumps, so a cached compiled bot knows it is stale. All confined to the scope.
import type {
  KnowledgeArticle,
  KnowledgeFaq,
  KnowledgeFilter,
  KnowledgeRepository,
  KnowledgeState,
} from '@zhike/core';
import { type Selectable, sql } from 'kysely';
import type { KnowledgeArticlesTable, KnowledgeFaqsTable, KnowledgeStateTable } from '../schema.ts';
import { parseList, type Scope } from './scope.ts';

const toFaq = (r: Selectable<KnowledgeFaqsTable>): KnowledgeFaq => ({
  id: r.id,
  question: r.question,
  similarQuestions: parseList<string>(r.similarQuestions),
  answer: r.answer,
  keywords: parseList<string>(r.keywords),
  tags: parseList<string>(r.tags),
  enabled: Number(r.enabled) === 1,
  origin: r.origin,
  edited: Number(r.edited) === 1,
  version: Number(r.version),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toArticle = (r: Selectable<KnowledgeArticlesTable>): KnowledgeArticle => ({
  id: r.id,
  title: r.title,
  body: r.body,
  tags: parseList<string>(r.tags),
  sourceUrl: r.sourceUrl,
  enabled: Number(r.enabled) === 1,
  version: Number(r.version),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toState = (r: Selectable<KnowledgeStateTable>): KnowledgeState => ({
  version: Number(r.version),
  templateId: r.templateId,
  templateLocale: r.templateLocale,
  templateDigest: r.templateDigest,
  dismissedOrigins: parseList<string>(r.dismissedOrigins),
});

/** A LIKE pattern matching `text` literally anywhere (wildcards escaped with backslash). */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const likeAny = (columns: readonly string[], text: string) => {
  const pattern = contains(text.toLowerCase());
  return sql<boolean>`(${sql.join(
    columns.map((c) => sql`lower(${sql.ref(c)}) like ${pattern} escape '\\'`),
    sql` or `,
  )})`;
};

const bool = (value: boolean) => (value ? 1 : 0);
const json = (list: readonly string[]) => JSON.stringify(list);

export function knowledgeRepository(s: Scope): KnowledgeRepository {
  const state = async () => {
    const row = await s.db
      .selectFrom('knowledgeState')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .executeTakeFirst();
    return row ? toState(row) : null;
  };
  /** Every mutation calls this in its own unit of work; in a transaction the bump commits with it. */
  const bump = (at: string) =>
    s.db
      .insertInto('knowledgeState')
      .values({ workspaceId: s.workspaceId, version: 1, dismissedOrigins: '[]', updatedAt: at })
      .onConflict((oc) =>
        oc.column('workspaceId').doUpdateSet({ version: sql`knowledge_state.version + 1`, updatedAt: at }),
      )
      .execute();

  const faqRow = (id: string) =>
    s.db
      .selectFrom('knowledgeFaqs')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  const articleRow = (id: string) =>
    s.db
      .selectFrom('knowledgeArticles')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();

  return {
    state,
    async tags() {
      const rows = await s.db
        .selectFrom('knowledgeFaqs')
        .select('tags')
        .where('workspaceId', '=', s.workspaceId)
        .execute();
      const articles = await s.db
        .selectFrom('knowledgeArticles')
        .select('tags')
        .where('workspaceId', '=', s.workspaceId)
        .execute();
      const tags = new Set<string>();
      for (const r of [...rows, ...articles]) for (const t of parseList<string>(r.tags)) tags.add(t);
      return [...tags].sort();
    },
    async lockState(at) {
      await s.db
        .insertInto('knowledgeState')
        .values({ workspaceId: s.workspaceId, version: 0, dismissedOrigins: '[]', updatedAt: at })
        .onConflict((oc) => oc.column('workspaceId').doNothing())
        .execute();
      let q = s.db.selectFrom('knowledgeState').selectAll().where('workspaceId', '=', s.workspaceId);
      // SQLite has no row locks; its writers are serialised by the database lock instead.
      if (s.dialect === 'postgres') q = q.forUpdate();
      return toState(await q.executeTakeFirstOrThrow());
    },
    async saveTemplateSync(sync, at) {
      await bump(at);
      await s.db
        .updateTable('knowledgeState')
        .set({
          templateId: sync.templateId,
          templateLocale: sync.templateLocale,
          templateDigest: sync.templateDigest,
          dismissedOrigins: json(sync.dismissedOrigins),
          updatedAt: at,
        })
        .where('workspaceId', '=', s.workspaceId)
        .execute();
    },
    faqs: {
      async list(filter: KnowledgeFilter) {
        let q = s.db.selectFrom('knowledgeFaqs').selectAll().where('workspaceId', '=', s.workspaceId);
        if (filter.query) q = q.where(likeAny(['question', 'similarQuestions', 'answer'], filter.query));
        if (filter.tag) q = q.where(likeAny(['tags'], JSON.stringify(filter.tag)));
        if (filter.enabled !== undefined) q = q.where('enabled', '=', bool(filter.enabled));
        const rows = await q.orderBy('updatedAt', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
        return rows.map(toFaq);
      },
      async all() {
        const rows = await s.db
          .selectFrom('knowledgeFaqs')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .orderBy('createdAt')
          .orderBy('id')
          .execute();
        return rows.map(toFaq);
      },
      async get(id) {
        const row = await faqRow(id);
        return row ? toFaq(row) : null;
      },
      async create(input, at) {
        const id = s.newId();
        await s.db
          .insertInto('knowledgeFaqs')
          .values({
            id,
            workspaceId: s.workspaceId,
            question: input.question,
            similarQuestions: json(input.similarQuestions),
            answer: input.answer,
            keywords: json(input.keywords),
            tags: json(input.tags),
            enabled: bool(input.enabled),
            origin: input.origin ?? null,
            edited: 0,
            version: 1,
            createdAt: at,
            updatedAt: at,
          })
          .execute();
        await bump(at);
        return toFaq((await faqRow(id))!);
      },
      async update(id, { patch, expectedVersion, edited }, at) {
        const row = await faqRow(id);
        if (!row) return { status: 'not_found' };
        const current = toFaq(row);
        if (expectedVersion !== undefined && expectedVersion !== current.version)
          return { status: 'stale', item: current };
        const next = { ...current, ...patch };
        const contentChanged = (['question', 'similarQuestions', 'answer', 'keywords', 'tags'] as const).some(
          (k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]),
        );
        // Compare-and-set on the version, so two concurrent editors cannot both win.
        const result = await s.db
          .updateTable('knowledgeFaqs')
          .set({
            question: next.question,
            similarQuestions: json(next.similarQuestions),
            answer: next.answer,
            keywords: json(next.keywords),
            tags: json(next.tags),
            enabled: bool(next.enabled),
            edited: bool(edited ?? (current.edited || (contentChanged && current.origin !== null))),
            version: current.version + 1,
            updatedAt: at,
          })
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .where('version', '=', current.version)
          .executeTakeFirst();
        const saved = await faqRow(id);
        if (!saved) return { status: 'not_found' };
        if (Number(result.numUpdatedRows) === 0) return { status: 'stale', item: toFaq(saved) };
        await bump(at);
        return { status: 'updated', item: toFaq(saved) };
      },
      async delete(id, at) {
        const row = await faqRow(id);
        if (!row) return null;
        const result = await s.db
          .deleteFrom('knowledgeFaqs')
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return null;
        await bump(at);
        return toFaq(row);
      },
    },
    articles: {
      async list(filter) {
        let q = s.db.selectFrom('knowledgeArticles').selectAll().where('workspaceId', '=', s.workspaceId);
        if (filter.query) q = q.where(likeAny(['title', 'body'], filter.query));
        if (filter.tag) q = q.where(likeAny(['tags'], JSON.stringify(filter.tag)));
        if (filter.enabled !== undefined) q = q.where('enabled', '=', bool(filter.enabled));
        const rows = await q.orderBy('updatedAt', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
        return rows.map(toArticle);
      },
      async all() {
        const rows = await s.db
          .selectFrom('knowledgeArticles')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .orderBy('createdAt')
          .orderBy('id')
          .execute();
        return rows.map(toArticle);
      },
      async get(id) {
        const row = await articleRow(id);
        return row ? toArticle(row) : null;
      },
      async create(input, at) {
        const id = s.newId();
        await s.db
          .insertInto('knowledgeArticles')
          .values({
            id,
            workspaceId: s.workspaceId,
            title: input.title,
            body: input.body,
            tags: json(input.tags),
            sourceUrl: input.sourceUrl,
            enabled: bool(input.enabled),
            version: 1,
            createdAt: at,
            updatedAt: at,
          })
          .execute();
        await bump(at);
        return toArticle((await articleRow(id))!);
      },
      async update(id, { patch, expectedVersion }, at) {
        const row = await articleRow(id);
        if (!row) return { status: 'not_found' };
        const current = toArticle(row);
        if (expectedVersion !== undefined && expectedVersion !== current.version)
          return { status: 'stale', item: current };
        const next = { ...current, ...patch };
        const result = await s.db
          .updateTable('knowledgeArticles')
          .set({
            title: next.title,
            body: next.body,
            tags: json(next.tags),
            sourceUrl: next.sourceUrl,
            enabled: bool(next.enabled),
            version: current.version + 1,
            updatedAt: at,
          })
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .where('version', '=', current.version)
          .executeTakeFirst();
        const saved = await articleRow(id);
        if (!saved) return { status: 'not_found' };
        if (Number(result.numUpdatedRows) === 0) return { status: 'stale', item: toArticle(saved) };
        await bump(at);
        return { status: 'updated', item: toArticle(saved) };
      },
      async delete(id, at) {
        const row = await articleRow(id);
        if (!row) return null;
        const result = await s.db
          .deleteFrom('knowledgeArticles')
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return null;
        await bump(at);
        return toArticle(row);
      },
    },
  };
}
