// The knowledge base over REST: FAQ entries and articles (list/search, get, create, update, delete),
// import from CSV/XLSX/Markdown with a dry-run preview, and "try it" (what the bot would do with a message).
// Every change is audited; the knowledge version it bumps makes the next bot turn recompile.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateKnowledgeArticleBody,
  CreateKnowledgeFaqBody,
  IdParams,
  KNOWLEDGE_IMPORT_TYPES,
  KnowledgeArticle,
  KnowledgeArticleList,
  KnowledgeFaq,
  KnowledgeFaqList,
  type KnowledgeImportFormat,
  KnowledgeImportQuery,
  KnowledgeImportResult,
  KnowledgeQuery,
  TryKnowledgeBody,
  TryKnowledgeResult,
  UpdateKnowledgeArticleBody,
  UpdateKnowledgeFaqBody,
} from '@zhike/contracts';
import { deleteKnowledgeFaq, type UpdateOutcome, type WorkspaceStore } from '@zhike/core';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { importKnowledge } from '../knowledge/importKnowledge.ts';
import { ImportFileError } from '../knowledge/textFile.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const read = { auth: 'sessionOrApiKey', permission: 'knowledge.read' } as const;
const manage = { auth: 'sessionOrApiKey', permission: 'knowledge.manage' } as const;
const tags = ['knowledge'];

const importTypes = new Map<string, KnowledgeImportFormat>(
  (Object.entries(KNOWLEDGE_IMPORT_TYPES) as [KnowledgeImportFormat, readonly string[]][]).flatMap(
    ([format, types]) => types.map((t) => [t, format] as const),
  ),
);

function updated<T>(outcome: UpdateOutcome<T>, what: string): T {
  if (outcome.status === 'not_found') throw new HttpProblem('not_found', `${what} not found`);
  if (outcome.status === 'stale')
    throw new HttpProblem('conflict', `The ${what.toLowerCase()} was changed by someone else; reload it`);
  return outcome.item;
}

export const knowledgeRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Import files arrive as the raw body; only this plugin reads these types.
    app.addContentTypeParser(
      [...importTypes.keys(), 'application/octet-stream'],
      { parseAs: 'buffer' },
      (_request, body, done) => done(null, body),
    );

    const scope = (request: FastifyRequest) => {
      const principal = principalOf(request);
      return { principal, store: ctx.db.forWorkspace(principal.workspaceId) };
    };
    const at = () => ctx.clock.now().toISOString();
    const audit = (
      request: FastifyRequest,
      target: { type: 'knowledge_faq' | 'knowledge_article'; id: string },
      details: Record<string, string | number | boolean | null>,
    ) => {
      const principal = principalOf(request);
      return recordAudit(ctx, {
        workspaceId: principal.workspaceId,
        actor: actorOf(principal),
        action: 'knowledge.changed',
        target,
        details,
      });
    };
    /** The template's entries exist before anyone looks (a new shop sees its industry's FAQs at once). */
    const ensureSeeded = async (request: FastifyRequest, store: WorkspaceStore) => {
      const workspace = await store.workspace.get();
      // A template that cannot be read must not hide the entries the shop already has.
      await ctx.bot
        .syncKnowledge(store.workspaceId, workspace.locale)
        .catch((err: unknown) => request.log.warn({ err }, 'knowledge template sync failed'));
      return workspace;
    };

    app.get(
      '/api/v1/knowledge/faqs',
      {
        config: read,
        schema: {
          tags,
          summary: 'List or search FAQ entries, newest change first',
          querystring: KnowledgeQuery,
          response: { 200: KnowledgeFaqList, ...problems },
        },
      },
      async (request) => {
        const { store } = scope(request);
        await ensureSeeded(request, store);
        const q = request.query;
        const faqs = await store.knowledge.faqs.list({
          ...(q.q?.trim() ? { query: q.q.trim() } : {}),
          ...(q.tag ? { tag: q.tag } : {}),
          ...(q.enabled ? { enabled: q.enabled === 'true' } : {}),
          limit: q.limit ?? 500,
        });
        return { faqs, tags: await store.knowledge.tags() };
      },
    );

    app.get(
      '/api/v1/knowledge/faqs/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'One FAQ entry',
          params: IdParams,
          response: { 200: KnowledgeFaq, ...problems },
        },
      },
      async (request) => {
        const faq = await scope(request).store.knowledge.faqs.get(request.params.id);
        if (!faq) throw new HttpProblem('not_found', 'FAQ entry not found');
        return faq;
      },
    );

    app.post(
      '/api/v1/knowledge/faqs',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Create a FAQ entry',
          body: CreateKnowledgeFaqBody,
          response: { 201: KnowledgeFaq, ...problems },
        },
      },
      async (request, reply) => {
        const { store } = scope(request);
        const b = request.body;
        const faq = await store.transaction((tx) =>
          tx.knowledge.faqs.create(
            {
              question: b.question.trim(),
              similarQuestions: [...new Set(b.similarQuestions.map((s) => s.trim()).filter(Boolean))],
              answer: b.answer.trim(),
              keywords: b.keywords ?? [],
              tags: [...new Set(b.tags.map((t) => t.trim()))],
              enabled: b.enabled,
            },
            at(),
          ),
        );
        await audit(request, { type: 'knowledge_faq', id: faq.id }, { op: 'created' });
        return reply.code(201).send(faq);
      },
    );

    app.patch(
      '/api/v1/knowledge/faqs/:id',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Change a FAQ entry (send `version` to refuse overwriting someone else’s edit)',
          params: IdParams,
          body: UpdateKnowledgeFaqBody,
          response: { 200: KnowledgeFaq, ...problems },
        },
      },
      async (request) => {
        const { store } = scope(request);
        const { version, ...fields } = request.body;
        const patch = {
          ...fields,
          ...(fields.question === undefined ? {} : { question: fields.question.trim() }),
          ...(fields.answer === undefined ? {} : { answer: fields.answer.trim() }),
          ...(fields.similarQuestions === undefined
            ? {}
            : {
                similarQuestions: [...new Set(fields.similarQuestions.map((s) => s.trim()).filter(Boolean))],
              }),
          ...(fields.tags === undefined ? {} : { tags: [...new Set(fields.tags.map((t) => t.trim()))] }),
        };
        const faq = updated(
          await store.transaction((tx) =>
            tx.knowledge.faqs.update(
              request.params.id,
              { patch, ...(version === undefined ? {} : { expectedVersion: version }) },
              at(),
            ),
          ),
          'FAQ entry',
        );
        await audit(
          request,
          { type: 'knowledge_faq', id: faq.id },
          { op: 'updated', fields: Object.keys(fields).sort().join(',') },
        );
        return faq;
      },
    );

    app.delete(
      '/api/v1/knowledge/faqs/:id',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Delete a FAQ entry (a template entry is not brought back by template updates)',
          params: IdParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const deleted = await deleteKnowledgeFaq(scope(request).store, request.params.id, at());
        if (!deleted) throw new HttpProblem('not_found', 'FAQ entry not found');
        await audit(
          request,
          { type: 'knowledge_faq', id: deleted.id },
          { op: 'deleted', origin: deleted.origin },
        );
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/knowledge/articles',
      {
        config: read,
        schema: {
          tags,
          summary: 'List or search articles, newest change first',
          querystring: KnowledgeQuery,
          response: { 200: KnowledgeArticleList, ...problems },
        },
      },
      async (request) => {
        const q = request.query;
        const articles = await scope(request).store.knowledge.articles.list({
          ...(q.q?.trim() ? { query: q.q.trim() } : {}),
          ...(q.tag ? { tag: q.tag } : {}),
          ...(q.enabled ? { enabled: q.enabled === 'true' } : {}),
          limit: q.limit ?? 500,
        });
        return { articles };
      },
    );

    app.get(
      '/api/v1/knowledge/articles/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'One article',
          params: IdParams,
          response: { 200: KnowledgeArticle, ...problems },
        },
      },
      async (request) => {
        const article = await scope(request).store.knowledge.articles.get(request.params.id);
        if (!article) throw new HttpProblem('not_found', 'Article not found');
        return article;
      },
    );

    app.post(
      '/api/v1/knowledge/articles',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Create an article (Markdown; the bot answers with the passage that fits)',
          body: CreateKnowledgeArticleBody,
          response: { 201: KnowledgeArticle, ...problems },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const article = await scope(request).store.transaction((tx) =>
          tx.knowledge.articles.create(
            {
              title: b.title.trim(),
              body: b.body,
              tags: [...new Set(b.tags.map((t) => t.trim()))],
              sourceUrl: b.sourceUrl ?? null,
              enabled: b.enabled,
            },
            at(),
          ),
        );
        await audit(request, { type: 'knowledge_article', id: article.id }, { op: 'created' });
        return reply.code(201).send(article);
      },
    );

    app.patch(
      '/api/v1/knowledge/articles/:id',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Change an article',
          params: IdParams,
          body: UpdateKnowledgeArticleBody,
          response: { 200: KnowledgeArticle, ...problems },
        },
      },
      async (request) => {
        const { version, ...fields } = request.body;
        const patch = {
          ...fields,
          ...(fields.title === undefined ? {} : { title: fields.title.trim() }),
          ...(fields.tags === undefined ? {} : { tags: [...new Set(fields.tags.map((t) => t.trim()))] }),
        };
        const article = updated(
          await scope(request).store.transaction((tx) =>
            tx.knowledge.articles.update(
              request.params.id,
              { patch, ...(version === undefined ? {} : { expectedVersion: version }) },
              at(),
            ),
          ),
          'Article',
        );
        await audit(
          request,
          { type: 'knowledge_article', id: article.id },
          { op: 'updated', fields: Object.keys(fields).sort().join(',') },
        );
        return article;
      },
    );

    app.delete(
      '/api/v1/knowledge/articles/:id',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Delete an article',
          params: IdParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const deleted = await scope(request).store.transaction((tx) =>
          tx.knowledge.articles.delete(request.params.id, at()),
        );
        if (!deleted) throw new HttpProblem('not_found', 'Article not found');
        await audit(request, { type: 'knowledge_article', id: deleted.id }, { op: 'deleted' });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/knowledge/try',
      {
        config: read,
        schema: {
          tags,
          summary: 'What the bot would do with a customer message (nothing is stored or sent)',
          body: TryKnowledgeBody,
          response: { 200: TryKnowledgeResult, ...problems },
        },
      },
      async (request) => {
        const { store } = scope(request);
        const workspace = await store.workspace.get();
        const preview = await ctx.bot.preview(store.workspaceId, workspace.locale, request.body.text);
        if (!preview) throw new HttpProblem('conflict', 'The bot is not set up yet');
        const { bot, result } = preview;
        const chosen = result.understanding.intent ? bot.describe(result.understanding.intent) : null;
        const decision: TryKnowledgeResult['decision'] = result.handoff
          ? 'handoff'
          : result.replies.some((r) => r.kind === 'clarify')
            ? 'clarify'
            : chosen && chosen.kind !== 'intent'
              ? 'answer'
              : 'action';
        return {
          decision,
          replies: result.replies.map((r) => r.text),
          chosen,
          confidence: result.understanding.confidence,
          candidates: result.understanding.candidates.flatMap((c) => {
            const target = bot.describe(c.target);
            return target ? [{ ...target, score: c.score }] : [];
          }),
          passages: result.knowledge?.passages ?? [],
        };
      },
    );

    app.post(
      '/api/v1/knowledge/import',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Import FAQ entries (CSV, XLSX, Markdown) or an article (Markdown); dry run by default',
          description:
            'Send the file as the request body with its content type (text/csv, the XLSX type, text/markdown, or application/octet-stream with `format`). CSV may be UTF-8 (with or without BOM) or GB18030/GBK. Columns: question/问题, similar questions/相似问题 (separated by | or line breaks), answer/答案, tags/标签, optional keywords/关键词 and enabled/启用. Markdown: each `## heading` is a question and the text below it the answer (`as=faqs`), or the whole file one article (`as=article`). `dryRun=true` (the default) only reports what would be created, updated or skipped and every row’s errors; `dryRun=false` stores it, all or nothing.',
          consumes: [...importTypes.keys(), 'application/octet-stream'],
          querystring: KnowledgeImportQuery,
          response: { 200: KnowledgeImportResult, ...problems },
        },
      },
      async (request) => {
        const { store } = scope(request);
        const body = request.body;
        if (!Buffer.isBuffer(body))
          throw new HttpProblem(
            'unsupported_media_type',
            'Send the file itself as the body (text/csv, XLSX or text/markdown)',
          );
        const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() ?? '';
        const q = request.query;
        const sniffed = body.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? 'xlsx' : null;
        const format = q.format ?? importTypes.get(contentType) ?? sniffed;
        if (!format)
          throw new HttpProblem(
            'unsupported_media_type',
            'Say which format the file is in: ?format=csv|xlsx|markdown',
          );
        const dryRun = q.dryRun !== 'false';
        await ensureSeeded(request, store);
        let result: Awaited<ReturnType<typeof importKnowledge>>;
        try {
          result = await importKnowledge(store, {
            file: body,
            format,
            as: q.as ?? 'faqs',
            ...(q.title ? { title: q.title } : {}),
            dryRun,
            at: at(),
          });
        } catch (error) {
          if (error instanceof ImportFileError) throw new HttpProblem('validation_failed', error.message);
          throw error;
        }
        if (!dryRun && result.errors > 0)
          throw new HttpProblem(
            'validation_failed',
            'The file has errors; nothing was imported',
            result.rows
              .filter((r) => r.errors.length > 0)
              .map((r) => ({ path: `line ${r.line}`, message: r.errors.join('; ') })),
          );
        if (!dryRun && result.created + result.updated > 0) {
          const principal = principalOf(request);
          await recordAudit(ctx, {
            workspaceId: principal.workspaceId,
            actor: actorOf(principal),
            action: 'knowledge.imported',
            details: { format, kind: result.kind, created: result.created, updated: result.updated },
          });
        }
        return result;
      },
    );
  };
