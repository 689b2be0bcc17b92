// Importing a file into a workspace's knowledge base: parse, plan against what is there (create, update,
// skip, or a row error), and unless it is a dry run or any row has an error, apply the plan in one
// transaction. The plan is recomputed inside the transaction so a concurrent edit cannot be overwritten blind.
import type { KnowledgeImportFormat, KnowledgeImportResult } from '@zhike/contracts';
import type { WorkspaceRepositories, WorkspaceStore } from '@zhike/core';
import {
  articleFromMarkdown,
  faqsFromMarkdown,
  faqsFromTable,
  type ImportedFaq,
  planFaqImport,
} from './faqImport.ts';
import { decodeText, parseCsv } from './textFile.ts';
import { readFirstSheet } from './xlsx.ts';

export interface ImportRequest {
  file: Buffer;
  format: KnowledgeImportFormat;
  /** Markdown only. */
  as: 'faqs' | 'article';
  title?: string;
  dryRun: boolean;
  at: string;
}

/** Throws ImportFileError when the file cannot be read at all; row problems come back in `rows`. */
export async function importKnowledge(
  store: WorkspaceStore,
  request: ImportRequest,
): Promise<KnowledgeImportResult> {
  let encoding = 'utf-8';
  const text = () => {
    const decoded = decodeText(request.file);
    encoding = decoded.encoding;
    return decoded.text;
  };
  if (request.format === 'markdown' && request.as === 'article')
    return importArticle(store, request, articleFromMarkdown(text(), request.title), encoding);
  const rows: ImportedFaq[] =
    request.format === 'xlsx'
      ? faqsFromTable(readFirstSheet(request.file))
      : request.format === 'csv'
        ? faqsFromTable(parseCsv(text()))
        : faqsFromMarkdown(text());

  const apply = async (tx: WorkspaceRepositories, write: boolean) => {
    const plan = planFaqImport(await tx.knowledge.faqs.all(), rows);
    const count = (action: string) => plan.filter((p) => p.action === action).length;
    const result: KnowledgeImportResult = {
      dryRun: request.dryRun,
      format: request.format,
      kind: 'faqs',
      encoding,
      created: count('create'),
      updated: count('update'),
      skipped: count('skip'),
      errors: count('error'),
      rows: plan.map((p) => ({
        line: p.line,
        action: p.action,
        question: p.question,
        answer: p.answer,
        similarQuestions: p.similarQuestions,
        tags: p.tags ?? [],
        errors: p.errors,
      })),
    };
    if (!write || result.errors > 0) return result;
    for (const p of plan) {
      if (p.action === 'create')
        await tx.knowledge.faqs.create(
          {
            question: p.question,
            similarQuestions: p.similarQuestions,
            answer: p.answer,
            keywords: p.keywords ?? [],
            tags: p.tags ?? [],
            enabled: p.enabled ?? true,
          },
          request.at,
        );
      else if (p.action === 'update' && p.id)
        await tx.knowledge.faqs.update(
          p.id,
          {
            patch: {
              answer: p.answer,
              similarQuestions: p.similarQuestions,
              ...(p.tags === null ? {} : { tags: p.tags }),
              ...(p.keywords === null ? {} : { keywords: p.keywords }),
              ...(p.enabled === null ? {} : { enabled: p.enabled }),
            },
          },
          request.at,
        );
    }
    return result;
  };
  return request.dryRun ? apply(store, false) : store.transaction((tx) => apply(tx, true));
}

async function importArticle(
  store: WorkspaceStore,
  request: ImportRequest,
  article: ReturnType<typeof articleFromMarkdown>,
  encoding: string,
): Promise<KnowledgeImportResult> {
  const apply = async (tx: WorkspaceRepositories, write: boolean) => {
    const same = (await tx.knowledge.articles.all()).find(
      (a) => a.title === article.title && a.body === article.body,
    );
    const action = article.errors.length > 0 ? 'error' : same ? 'skip' : 'create';
    if (write && action === 'create')
      await tx.knowledge.articles.create(
        { title: article.title, body: article.body, tags: [], sourceUrl: null, enabled: true },
        request.at,
      );
    return {
      dryRun: request.dryRun,
      format: request.format,
      kind: 'article' as const,
      encoding,
      created: action === 'create' ? 1 : 0,
      updated: 0,
      skipped: action === 'skip' ? 1 : 0,
      errors: action === 'error' ? 1 : 0,
      rows: [
        {
          line: article.line,
          action,
          question: article.title,
          answer: article.body.slice(0, 500),
          similarQuestions: [],
          tags: [],
          errors: article.errors,
        },
      ],
    } satisfies KnowledgeImportResult;
  };
  return request.dryRun || article.errors.length > 0
    ? apply(store, false)
    : store.transaction((tx) => apply(tx, true));
}
