// The appeal workflow: an agent disputes a result of their own (one open appeal per result at a time);
// a supervisor accepts it, setting the score that counts from then on, or rejects it.
import { DomainError, forbidden, notFound } from '../errors.ts';
import { UniqueViolation, type UseCaseDeps } from '../ports.ts';
import { APPEAL_REASON_MAX, type QualityAppeal, type QualityResult } from './results.ts';

export async function appealResult(
  deps: UseCaseDeps,
  input: { resultId: string; agentId: string; reason: string },
): Promise<{ appeal: QualityAppeal; result: QualityResult }> {
  const { store } = deps;
  const result = await store.quality.results.get(input.resultId);
  if (!result) throw notFound('Quality result');
  if (result.agentId !== input.agentId) throw forbidden('Only the agent a result counts for may appeal it');
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > APPEAL_REASON_MAX)
    throw new DomainError('validation_failed', `The reason is 1–${APPEAL_REASON_MAX} characters`);
  if (await store.quality.appeals.pendingFor(result.id))
    throw new DomainError('conflict', 'This result already has an appeal awaiting a decision');
  const appeal = await store.quality.appeals
    .create({
      id: deps.newId(),
      resultId: result.id,
      agentId: input.agentId,
      reason,
      createdAt: deps.clock.now().toISOString(),
    })
    .catch((error: unknown) => {
      if (error instanceof UniqueViolation)
        throw new DomainError('conflict', 'This result already has an appeal awaiting a decision');
      throw error;
    });
  return { appeal, result };
}

export async function decideAppeal(
  deps: UseCaseDeps,
  input: {
    appealId: string;
    decision: 'accepted' | 'rejected';
    /** The score that counts after an accepted appeal (required then). */
    score: number | null;
    note: string | null;
    by: string;
  },
): Promise<{ appeal: QualityAppeal; result: QualityResult }> {
  const { store } = deps;
  const existing = await store.quality.appeals.get(input.appealId);
  if (!existing) throw notFound('Appeal');
  const result = await store.quality.results.get(existing.resultId);
  if (!result) throw notFound('Quality result');
  if (existing.agentId === input.by) throw forbidden('An agent does not decide their own appeal');
  const accepted = input.decision === 'accepted';
  if (accepted && (input.score === null || !(input.score >= 0 && input.score <= 100)))
    throw new DomainError('validation_failed', 'An accepted appeal sets the score, 0–100');
  const adjustedScore = accepted ? Math.round(input.score as number) : null;
  const appeal = await store.quality.appeals.decide(existing.id, {
    status: input.decision,
    by: input.by,
    at: deps.clock.now().toISOString(),
    note: input.note?.trim() || null,
    adjustedScore,
  });
  if (!appeal) throw new DomainError('conflict', 'The appeal was already decided');
  if (accepted) await store.quality.results.setAdjustedScore(result.id, adjustedScore);
  return { appeal, result: { ...result, adjustedScore: accepted ? adjustedScore : result.adjustedScore } };
}
