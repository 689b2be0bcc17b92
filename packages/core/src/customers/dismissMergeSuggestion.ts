// An agent says the two customers of a suggestion are different people: it leaves the open list.
import { DomainError, notFound } from '../errors.ts';
import type { CustomerMergeSuggestion } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';

export interface DismissMergeSuggestionInput {
  suggestionId: string;
  /** The user deciding. */
  userId: string;
}

export async function dismissMergeSuggestion(
  deps: UseCaseDeps,
  input: DismissMergeSuggestionInput,
): Promise<CustomerMergeSuggestion> {
  const suggestion = await deps.store.customerMerges.getSuggestion(input.suggestionId);
  if (!suggestion) throw notFound('merge suggestion');
  const at = deps.clock.now().toISOString();
  if (!(await deps.store.customerMerges.resolveSuggestion(suggestion.id, 'dismissed', input.userId, at))) {
    throw new DomainError('conflict', `the suggestion is already ${suggestion.status}`);
  }
  return { ...suggestion, status: 'dismissed', resolvedAt: at, resolvedBy: input.userId };
}
