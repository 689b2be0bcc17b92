// The knowledge base the bot answers from: FAQ entries (from the workspace, or the template's own when
// compiled without one) and articles, which are split into passages so a question can be answered with
// the one paragraph that holds the answer.
import type { BotTemplate, TemplateFaq } from './template.ts';
import { fillPlaceholders } from './text.ts';

export interface KnowledgeFaqEntry {
  id: string;
  question: string;
  similar?: readonly string[];
  answer: string;
  keywords?: readonly string[];
  tags?: readonly string[];
}

export interface KnowledgeArticleEntry {
  id: string;
  title: string;
  /** Markdown. */
  body: string;
  sourceUrl?: string | null;
}

/** What a bot answers from. Only enabled entries belong here; the host filters. */
export interface KnowledgeBase {
  faqs: readonly KnowledgeFaqEntry[];
  articles?: readonly KnowledgeArticleEntry[];
}

/** One retrievable piece of an article: a section's paragraphs up to a size a chat message can hold. */
export interface ArticlePassage {
  /** `<article id>#<n>`, n from 1 in reading order. */
  id: string;
  articleId: string;
  title: string;
  /** The section heading the passage sits under, if any. */
  heading: string | null;
  /** Plain text (Markdown markup removed). */
  text: string;
  sourceUrl: string | null;
}

/** The template's FAQs as knowledge-base entries, ids kept: what a workspace is seeded with. */
export function knowledgeFromTemplate(template: BotTemplate): KnowledgeBase {
  return {
    faqs: template.faqs
      .filter((f) => f.enabled !== false)
      .map((f) => ({
        id: f.id,
        question: f.question,
        similar: f.similar ?? [],
        answer: f.answer,
        keywords: f.keywords ?? [],
        tags: f.tags ?? [],
      })),
  };
}

export function asTemplateFaqs(faqs: readonly KnowledgeFaqEntry[]): TemplateFaq[] {
  return faqs.map((f) => ({
    id: f.id,
    question: f.question,
    similar: [...(f.similar ?? [])],
    answer: f.answer,
    keywords: [...(f.keywords ?? [])],
    tags: [...(f.tags ?? [])],
  }));
}

/** Longest passage in characters; a longer paragraph stays whole rather than being cut mid-sentence. */
const PASSAGE_CHARS = 360;

/** Markdown to the plain text a chat bubble shows: links keep their text, emphasis and code marks go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n([\s\S]*?)```/g, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^*\w])[*_]([^*_\n]+)[*_](?=[^*\w]|$)/g, '$1$2')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '• ')
    .replace(/^\s*(\d+)[.)]\s+/gm, '$1. ')
    .replace(/^\s*([-*_]\s*){3,}$/gm, '')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

/** Splits an article into passages: by heading (levels 1–6), then paragraphs packed up to PASSAGE_CHARS. */
export function splitArticle(article: KnowledgeArticleEntry): ArticlePassage[] {
  const sections: { heading: string | null; paragraphs: string[] }[] = [{ heading: null, paragraphs: [] }];
  let paragraph: string[] = [];
  let fence = false;
  const flush = () => {
    const text = plainText(paragraph.join('\n'));
    if (text) sections.at(-1)!.paragraphs.push(text);
    paragraph = [];
  };
  for (const line of article.body.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*```/.test(line)) fence = !fence;
    const heading = fence ? null : /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      sections.push({ heading: plainText(heading[1]!), paragraphs: [] });
    } else if (!fence && line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();

  const passages: ArticlePassage[] = [];
  for (const section of sections) {
    let chunk = '';
    const emit = () => {
      if (!chunk) return;
      passages.push({
        id: `${article.id}#${passages.length + 1}`,
        articleId: article.id,
        title: article.title,
        heading: section.heading,
        text: chunk,
        sourceUrl: article.sourceUrl ?? null,
      });
      chunk = '';
    };
    for (const p of section.paragraphs) {
      if (chunk && chunk.length + p.length + 1 > PASSAGE_CHARS) emit();
      chunk = chunk ? `${chunk}\n${p}` : p;
    }
    emit();
  }
  return passages;
}

/** Fills the owner's variables into article text, as FAQ answers get them. */
export function fillPassage(
  passage: ArticlePassage,
  values: Readonly<Record<string, string>>,
): ArticlePassage {
  return {
    ...passage,
    text: fillPlaceholders(passage.text, values),
    heading: passage.heading && fillPlaceholders(passage.heading, values),
    title: fillPlaceholders(passage.title, values),
  };
}

/** How a passage is named in a clarifying question and in the passages handed to the host. */
export function passageLabel(passage: ArticlePassage): string {
  return passage.heading && passage.heading !== passage.title
    ? `${passage.title} · ${passage.heading}`
    : passage.title;
}

/** The reply quoting a passage: its text, then where it comes from. */
export function passageAnswer(passage: ArticlePassage, locale: string): string {
  const zh = locale.toLowerCase().startsWith('zh');
  const from = zh ? `——摘自《${passage.title}》` : `— from "${passage.title}"`;
  const link = passage.sourceUrl ? (zh ? ` ${passage.sourceUrl}` : `: ${passage.sourceUrl}`) : '';
  return `${passage.text}\n\n${from}${link}`;
}
