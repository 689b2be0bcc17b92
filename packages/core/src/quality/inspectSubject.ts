// The use case run when a conversation is resolved or a call ends: score it against the workspace's
// current ruleset, store the result (replacing an earlier one of the same subject, e.g. a reopened
// conversation resolved again) and queue it for a human review when it is low or drawn at random.
import type { UseCaseDeps } from '../ports.ts';
import { loadTranscript } from './loadTranscript.ts';
import { type QualityResult, type QualitySubject, reviewReasonFor, type StoredHit } from './results.ts';
import { defaultQualityRuleset } from './ruleset.ts';
import { scoreTranscript } from './scoreTranscript.ts';
import type { TextAnalysis } from './transcript.ts';

export interface InspectSubjectInput {
  subject: QualitySubject;
  subjectId: string;
  /** When it ended (the resolution or hang-up); results are reported by it. */
  endedAt: string;
}

export interface InspectSubjectDeps extends UseCaseDeps {
  analysis: TextAnalysis;
  /** Uniform in [0, 1): the random sample's draw. */
  draw: () => number;
}

export async function inspectSubject(
  deps: InspectSubjectDeps,
  input: InspectSubjectInput,
): Promise<{ result: QualityResult; queuedForReview: boolean } | null> {
  const { store } = deps;
  const loaded = await loadTranscript(store, input.subject, input.subjectId);
  // A phone conversation is scored call by call, from the speaker-separated transcript with its timing.
  if (!loaded || loaded.ongoing || (input.subject === 'conversation' && loaded.channel === 'voice'))
    return null;
  const ruleset = (await store.quality.rulesets.current()) ?? defaultQualityRuleset();
  const scored = scoreTranscript(loaded.transcript, ruleset, deps.analysis);
  const hits: StoredHit[] = scored.hits.map(({ excerpt: _excerpt, ...hit }) => hit);
  const now = deps.clock.now().toISOString();
  const result = await store.quality.results.upsert({
    subject: input.subject,
    subjectId: input.subjectId,
    conversationId: loaded.conversationId,
    customerId: loaded.customerId,
    agentId: loaded.agentId,
    channel: loaded.channel,
    score: scored.score,
    violations: scored.violations,
    hits,
    rulesetVersion: ruleset.version,
    endedAt: input.endedAt,
    scoredAt: now,
  });
  const reason = reviewReasonFor(scored.score, ruleset.sampling, deps.draw());
  const queuedForReview = reason
    ? await store.quality.reviews.enqueue({ id: deps.newId(), resultId: result.id, reason, createdAt: now })
    : false;
  return { result, queuedForReview };
}
