// The demo bot's brain: each workspace's FAQ table, matched by @zhike/nlu's FAQ index. Indexes are cached
// per workspace for a short while and rebuilt only when the FAQ changed.
//
// Synonyms: createFaqIndex accepts synonym groups, but workspaces have no place to keep them yet (the FAQ
// table holds questions, paraphrases, answers and keywords only), so none are passed. The retail
// template's `synonyms` array is not seeded for the same reason. Storing them needs a migration (a
// workspace synonym table) and a `faqs.synonyms()` repository method; `build` below then reads them next
// to `faqs.list()` and passes `{ synonyms }` as createFaqIndex's second argument.
import { type Bot, type Clock, createFaqBot, type Faq, type FaqMatcher } from '@zhike/core';
import type { Database } from '@zhike/db';
import { createFaqIndex } from '@zhike/nlu';

/** Builds a matcher over one workspace's FAQ; injectable so tests can count or replace builds. */
export type FaqIndexFactory = (entries: Faq[]) => FaqMatcher;

export const nluFaqIndex: FaqIndexFactory = (entries) => createFaqIndex(entries);

/** Answers nothing: a workspace without FAQ entries hands every question to people. */
const emptyMatcher: FaqMatcher = { answer: () => null };

export function createWorkspaceFaqBot(deps: {
  db: Database;
  clock: Clock;
  indexFactory?: FaqIndexFactory;
  /** How long a workspace's FAQ is trusted before it is re-read (the index is rebuilt only if it changed). */
  cacheMs?: number;
}): Bot {
  const cacheMs = deps.cacheMs ?? 30_000;
  const indexFactory = deps.indexFactory ?? nluFaqIndex;
  type Built = { signature: string; matcher: FaqMatcher; faqs: Map<string, Faq> };
  const cache = new Map<string, { at: number; value: Promise<Built> }>();

  const build = async (workspaceId: string, previous: Promise<Built> | undefined): Promise<Built> => {
    const faqs = await deps.db.forWorkspace(workspaceId).faqs.list();
    const signature = JSON.stringify(faqs);
    const old = previous ? await previous.catch(() => undefined) : undefined;
    if (old && old.signature === signature) return old;
    return {
      signature,
      matcher: faqs.length > 0 ? indexFactory(faqs) : emptyMatcher,
      faqs: new Map(faqs.map((f) => [f.id, f])),
    };
  };

  return createFaqBot((workspaceId) => {
    const now = deps.clock.now().getTime();
    const hit = cache.get(workspaceId);
    if (hit && now - hit.at < cacheMs) return hit.value;
    const value = build(workspaceId, hit?.value);
    value.catch(() => cache.delete(workspaceId));
    cache.set(workspaceId, { at: now, value });
    return value;
  });
}
