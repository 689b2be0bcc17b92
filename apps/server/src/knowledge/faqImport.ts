// Turning an imported file into knowledge-base rows: spreadsheets (CSV or XLSX) with question / similar
// questions / answer / tags columns under Chinese or English headers, and Markdown (each `## heading` a
// question, or the whole file one article). Every row is checked; the plan says what each would do.
import { plainText } from '@zhike/bot';
import { KNOWLEDGE_LIMITS } from '@zhike/contracts';
import type { KnowledgeFaq } from '@zhike/core';
import { ImportFileError } from './textFile.ts';

export const MAX_IMPORT_ROWS = 5000;

export interface ImportedFaq {
  line: number;
  question: string;
  similarQuestions: string[];
  answer: string;
  /** null when the file has no such column: an update keeps what the entry has. */
  tags: string[] | null;
  keywords: string[] | null;
  enabled: boolean | null;
  errors: string[];
}

export interface ImportedArticle {
  line: number;
  title: string;
  body: string;
  errors: string[];
}

type Column = 'question' | 'similar' | 'answer' | 'tags' | 'keywords' | 'enabled';

/** Header names (compared without case, spaces, `_` or `-`) per column. */
const HEADERS: Record<Column, readonly string[]> = {
  question: ['问题', '标准问题', '标准问', '问法', 'question', 'questions', 'q'],
  similar: [
    '相似问题',
    '相似问',
    '相似问法',
    '相似问句',
    '扩展问',
    '扩展问题',
    'similarquestions',
    'similar',
    'alternatives',
  ],
  answer: ['答案', '回答', '回复', 'answer', 'answers', 'a', 'reply'],
  tags: ['标签', '分类', '类别', 'tags', 'tag', 'category', 'categories'],
  keywords: ['关键词', '关键字', 'keywords', 'keyword'],
  enabled: ['启用', '是否启用', '状态', 'enabled', 'active', 'status'],
};

const headerKey = (cell: string) =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[\s_\-:：]/g, '');

const splitList = (cell: string, separators: RegExp): string[] => [
  ...new Set(
    cell
      .split(separators)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];
const SIMILAR_SEPARATORS = /[|｜\n\r]+/;
const TAG_SEPARATORS = /[,，|｜;；、\n]+/;

const ENABLED_VALUES: Record<string, boolean> = {
  '': true,
  '1': true,
  true: true,
  yes: true,
  y: true,
  on: true,
  是: true,
  启用: true,
  开启: true,
  '0': false,
  false: false,
  no: false,
  n: false,
  off: false,
  否: false,
  停用: false,
  禁用: false,
  关闭: false,
};

function check(faq: Omit<ImportedFaq, 'errors'>): string[] {
  const L = KNOWLEDGE_LIMITS;
  const errors: string[] = [];
  if (!faq.question) errors.push('question is empty');
  else if (faq.question.length > L.question) errors.push(`question is longer than ${L.question} characters`);
  if (!faq.answer) errors.push('answer is empty');
  else if (faq.answer.length > L.answer) errors.push(`answer is longer than ${L.answer} characters`);
  if (faq.similarQuestions.length > L.similarQuestions)
    errors.push(`more than ${L.similarQuestions} similar questions`);
  if (faq.similarQuestions.some((s) => s.length > L.similarQuestion))
    errors.push(`a similar question is longer than ${L.similarQuestion} characters`);
  if (faq.tags && (faq.tags.length > 20 || faq.tags.some((t) => t.length > 32)))
    errors.push('at most 20 tags of at most 32 characters');
  if (faq.keywords && (faq.keywords.length > L.keywords || faq.keywords.some((k) => k.length > L.keyword)))
    errors.push(`at most ${L.keywords} keywords of at most ${L.keyword} characters`);
  return errors;
}

/** Rows of a spreadsheet whose first non-empty row is the header. */
export function faqsFromTable(rows: readonly { line: number; cells: readonly string[] }[]): ImportedFaq[] {
  const [header, ...body] = rows;
  if (!header) throw new ImportFileError('The file is empty');
  const columns = new Map<Column, number>();
  header.cells.forEach((cell, index) => {
    const key = headerKey(cell);
    for (const [column, names] of Object.entries(HEADERS) as [Column, readonly string[]][])
      if (names.includes(key) && !columns.has(column)) columns.set(column, index);
  });
  if (!columns.has('question') || !columns.has('answer'))
    throw new ImportFileError(
      `Line ${header.line}: the header needs a question column (问题/question) and an answer column (答案/answer)`,
    );
  if (body.length === 0) throw new ImportFileError('The file has a header but no rows');
  if (body.length > MAX_IMPORT_ROWS) throw new ImportFileError(`At most ${MAX_IMPORT_ROWS} rows per file`);
  const cell = (cells: readonly string[], column: Column): string | null => {
    const index = columns.get(column);
    return index === undefined ? null : (cells[index] ?? '').trim();
  };
  return body.map(({ line, cells }) => {
    const question = cell(cells, 'question') ?? '';
    const enabledCell = cell(cells, 'enabled');
    const enabled = enabledCell === null ? null : ENABLED_VALUES[enabledCell.toLowerCase()];
    const tags = cell(cells, 'tags');
    const keywords = cell(cells, 'keywords');
    const faq = {
      line,
      question,
      similarQuestions: splitList(cell(cells, 'similar') ?? '', SIMILAR_SEPARATORS).filter(
        (s) => s !== question,
      ),
      answer: cell(cells, 'answer') ?? '',
      tags: tags === null ? null : splitList(tags, TAG_SEPARATORS),
      keywords: keywords === null ? null : splitList(keywords, TAG_SEPARATORS),
      enabled: enabled ?? null,
    };
    const errors = check(faq);
    if (enabled === undefined) errors.push(`enabled must be yes/no (是/否), not "${enabledCell}"`);
    return { ...faq, errors };
  });
}

const HEADING = /^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$/;
const SIMILAR_LINE = /^\s*(?:相似问题|相似问法|相似问|similar(?: questions)?)\s*[:：]\s*(.*)$/i;
const TAGS_LINE = /^\s*(?:标签|tags?)\s*[:：]\s*(.*)$/i;

/** Each `## heading` is a question; the text up to the next heading its answer. */
export function faqsFromMarkdown(text: string): ImportedFaq[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const faqs: ImportedFaq[] = [];
  let current: {
    line: number;
    question: string;
    body: string[];
    similar: string[];
    tags: string[] | null;
  } | null = null;
  const flush = () => {
    if (!current) return;
    const faq = {
      line: current.line,
      question: current.question,
      similarQuestions: current.similar.filter((s) => s !== current!.question),
      answer: plainText(current.body.join('\n')),
      tags: current.tags,
      keywords: null,
      enabled: null,
    };
    faqs.push({ ...faq, errors: check(faq) });
    current = null;
  };
  let fence = false;
  for (const [i, raw] of lines.entries()) {
    if (/^\s*```/.test(raw)) fence = !fence;
    const heading = fence ? null : HEADING.exec(raw);
    if (heading && heading[1]!.length === 2) {
      flush();
      current = { line: i + 1, question: plainText(heading[2]!), body: [], similar: [], tags: null };
      continue;
    }
    if (heading && heading[1]!.length === 1) {
      flush(); // the document title ends any question before it
      continue;
    }
    if (!current) continue;
    const similar = SIMILAR_LINE.exec(raw);
    const tags = TAGS_LINE.exec(raw);
    if (similar) current.similar.push(...splitList(similar[1]!, /[|｜]+/));
    else if (tags) current.tags = splitList(tags[1]!, TAG_SEPARATORS);
    else current.body.push(raw);
  }
  flush();
  if (faqs.length === 0)
    throw new ImportFileError('No "## question" headings found; import the file as an article instead');
  if (faqs.length > MAX_IMPORT_ROWS)
    throw new ImportFileError(`At most ${MAX_IMPORT_ROWS} questions per file`);
  return faqs;
}

/** The whole file as one article; the title is given, or the first `# heading`, or the first line. */
export function articleFromMarkdown(text: string, title?: string): ImportedArticle {
  const body = text.replace(/\r\n?/g, '\n').trim();
  const firstHeading = /^\s{0,3}#\s+(.+?)\s*#*\s*$/m.exec(body)?.[1];
  const name = (
    title ?? (firstHeading ? plainText(firstHeading) : plainText(body.split('\n')[0] ?? ''))
  ).trim();
  const errors: string[] = [];
  if (!body) errors.push('the file is empty');
  if (!name) errors.push('the article has no title');
  if (name.length > KNOWLEDGE_LIMITS.title)
    errors.push(`title is longer than ${KNOWLEDGE_LIMITS.title} characters`);
  if (body.length > KNOWLEDGE_LIMITS.body) errors.push(`longer than ${KNOWLEDGE_LIMITS.body} characters`);
  return { line: 1, title: name.slice(0, KNOWLEDGE_LIMITS.title), body, errors };
}

export type PlannedFaq = ImportedFaq & { action: 'create' | 'update' | 'skip' | 'error'; id: string | null };

/** The same question, as people write it twice: case, spacing and trailing punctuation aside. */
export const questionKey = (question: string) =>
  question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s?？!！。.,，]+/g, '');

/** What importing the rows would do: update an entry with the same question, else create; unchanged = skip. */
export function planFaqImport(existing: readonly KnowledgeFaq[], rows: readonly ImportedFaq[]): PlannedFaq[] {
  const byQuestion = new Map(existing.map((f) => [questionKey(f.question), f]));
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const key = questionKey(row.question);
    const errors = [...row.errors];
    const first = seen.get(key);
    if (key && first !== undefined) errors.push(`the same question is already on line ${first}`);
    else if (key) seen.set(key, row.line);
    if (errors.length > 0) return { ...row, errors, action: 'error', id: null };
    const match = byQuestion.get(key);
    if (!match) return { ...row, action: 'create', id: null };
    const same =
      match.answer === row.answer &&
      JSON.stringify(match.similarQuestions) === JSON.stringify(row.similarQuestions) &&
      (row.tags === null || JSON.stringify(match.tags) === JSON.stringify(row.tags)) &&
      (row.keywords === null || JSON.stringify(match.keywords) === JSON.stringify(row.keywords)) &&
      (row.enabled === null || match.enabled === row.enabled);
    return { ...row, action: same ? 'skip' : 'update', id: match.id };
  });
}
