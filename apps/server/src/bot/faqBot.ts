// The demo bot's brain: each workspace's FAQ table, matched by @zhike/nlu's FAQ index when that package
// provides one, else by the core's keyword matcher. Indexes are cached per workspace for a short while.
import {
  type Bot,
  type Clock,
  createFaqBot,
  createKeywordFaqMatcher,
  type Faq,
  type FaqMatcher,
} from '@zhike/core';
import type { Database } from '@zhike/db';

export type FaqIndexFactory = (entries: Faq[]) => FaqMatcher;

/** Looks for createFaqIndex in @zhike/nlu (being built alongside); null when it is not there yet. */
export async function loadNluFaqIndex(): Promise<FaqIndexFactory | null> {
  try {
    const nlu = (await import('@zhike/nlu')) as Record<string, unknown>;
    const create = nlu.createFaqIndex;
    if (typeof create !== 'function') return null;
    return (entries) => (create as (e: Faq[]) => FaqMatcher)(entries);
  } catch {
    return null;
  }
}

export function createWorkspaceFaqBot(deps: {
  db: Database;
  clock: Clock;
  indexFactory: FaqIndexFactory | null;
  /** How long a workspace's FAQ is trusted before it is re-read (the index is rebuilt only if it changed). */
  cacheMs?: number;
}): Bot {
  const cacheMs = deps.cacheMs ?? 30_000;
  type Built = { signature: string; matcher: FaqMatcher; faqs: Map<string, Faq> };
  const cache = new Map<string, { at: number; value: Promise<Built> }>();

  const build = async (workspaceId: string, previous: Promise<Built> | undefined): Promise<Built> => {
    const faqs = await deps.db.forWorkspace(workspaceId).faqs.list();
    const signature = JSON.stringify(faqs);
    const old = previous ? await previous.catch(() => undefined) : undefined;
    if (old && old.signature === signature) return old;
    let matcher: FaqMatcher | null = null;
    if (deps.indexFactory && faqs.length > 0) {
      try {
        matcher = deps.indexFactory(faqs);
      } catch {
        matcher = null; // a broken NLU build must not silence the bot
      }
    }
    return {
      signature,
      matcher: matcher ?? createKeywordFaqMatcher(faqs),
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
