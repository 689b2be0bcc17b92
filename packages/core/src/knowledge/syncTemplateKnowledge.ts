// Seeds a workspace's knowledge base from its industry template, and keeps it in step: the first compile
// for a template creates its FAQs; a new template (or locale) replaces the unedited template entries; a
// changed template file refreshes them. Owner-written and owner-edited entries are never touched, and a
// template entry the owner deleted does not come back.
import type { WorkspaceStore } from '../ports.ts';
import type { KnowledgeFaq } from './knowledge.ts';

export interface TemplateFaqSeed {
  id: string;
  question: string;
  similar?: readonly string[];
  answer: string;
  keywords?: readonly string[];
  tags?: readonly string[];
  enabled?: boolean;
}

export interface TemplateKnowledge {
  templateId: string;
  locale: string;
  faqs: readonly TemplateFaqSeed[];
}

export interface SyncOutcome {
  synced: boolean;
  created: number;
  updated: number;
  removed: number;
}

/** FNV-1a over the seed's JSON, twice with different offsets: a change detector, not a security hash. */
export function templateDigest(faqs: readonly TemplateFaqSeed[]): string {
  const text = JSON.stringify(faqs);
  const hash = (offset: number) => {
    let h = offset >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, '0');
  };
  return `${hash(0x811c9dc5)}${hash(0x050c5d1f)}:${faqs.length}`;
}

const content = (seed: TemplateFaqSeed) => ({
  question: seed.question,
  similarQuestions: [...(seed.similar ?? [])],
  answer: seed.answer,
  keywords: [...(seed.keywords ?? [])],
  tags: [...(seed.tags ?? [])],
});

const sameContent = (faq: KnowledgeFaq, seed: TemplateFaqSeed): boolean =>
  JSON.stringify(content(seed)) ===
  JSON.stringify({
    question: faq.question,
    similarQuestions: faq.similarQuestions,
    answer: faq.answer,
    keywords: faq.keywords,
    tags: faq.tags,
  });

export async function syncTemplateKnowledge(
  store: WorkspaceStore,
  template: TemplateKnowledge,
  at: string,
): Promise<SyncOutcome> {
  const digest = templateDigest(template.faqs);
  const current = (s: {
    templateId: string | null;
    templateLocale: string | null;
    templateDigest: string | null;
  }) =>
    s.templateId === template.templateId &&
    s.templateLocale === template.locale &&
    s.templateDigest === digest;
  const outcome: SyncOutcome = { synced: false, created: 0, updated: 0, removed: 0 };
  // The common case (every compile after the first) costs one read and no transaction.
  const before = await store.knowledge.state();
  if (before && current(before)) return outcome;

  return store.transaction(async (tx) => {
    const state = await tx.knowledge.lockState(at);
    if (current(state)) return outcome; // a concurrent sync got there first
    const switched = state.templateId !== template.templateId || state.templateLocale !== template.locale;
    const dismissed = new Set(switched ? [] : state.dismissedOrigins);
    const fromTemplate = new Map<string, KnowledgeFaq>();
    for (const faq of await tx.knowledge.faqs.all()) {
      if (faq.origin === null) continue;
      if (!faq.edited && (switched || !template.faqs.some((f) => f.id === faq.origin))) {
        await tx.knowledge.faqs.delete(faq.id, at);
        outcome.removed++;
        continue;
      }
      fromTemplate.set(faq.origin, faq);
    }
    for (const seed of template.faqs) {
      if (dismissed.has(seed.id)) continue;
      const existing = fromTemplate.get(seed.id);
      if (!existing) {
        await tx.knowledge.faqs.create(
          { ...content(seed), enabled: seed.enabled !== false, origin: seed.id },
          at,
        );
        outcome.created++;
      } else if (!existing.edited && !sameContent(existing, seed)) {
        await tx.knowledge.faqs.update(existing.id, { patch: content(seed), edited: false }, at);
        outcome.updated++;
      }
    }
    await tx.knowledge.saveTemplateSync(
      {
        templateId: template.templateId,
        templateLocale: template.locale,
        templateDigest: digest,
        dismissedOrigins: [...dismissed],
      },
      at,
    );
    return { ...outcome, synced: true };
  });
}
