// Solved tickets like this one, best first, with how each was solved: the agent's note when solving it,
// else the last public reply. Text similarity on subject and description (the same bag-of-characters
// measure agent assist ranks replies with), nudged up for the same type and category.
import { textSimilarity } from '../assist/textSimilarity.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { Ticket } from './ticket.ts';

export interface SimilarSolvedTicket {
  ticket: Ticket;
  score: number;
  /** How it was solved, in the agent's words; null when nobody wrote it down. */
  solution: string | null;
}

const CANDIDATES = 300;
const MIN_SCORE = 0.15;

const textOf = (t: Pick<Ticket, 'subject' | 'description'>) => `${t.subject} ${t.description ?? ''}`.trim();

export function rankSimilarTickets(ticket: Ticket, candidates: readonly Ticket[], limit: number) {
  const query = textOf(ticket);
  return candidates
    .filter((c) => c.id !== ticket.id)
    .map((c) => ({
      ticket: c,
      score:
        textSimilarity(query, textOf(c)) +
        (ticket.category && c.category === ticket.category ? 0.1 : 0) +
        (c.type === ticket.type ? 0.05 : 0),
    }))
    .filter((c) => c.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

export async function similarSolvedTickets(
  deps: Pick<UseCaseDeps, 'store'>,
  input: { ticket: Ticket; limit: number },
): Promise<SimilarSolvedTicket[]> {
  const candidates = await deps.store.tickets.solved({ limit: CANDIDATES, excludeId: input.ticket.id });
  const ranked = rankSimilarTickets(input.ticket, candidates, input.limit);
  return Promise.all(
    ranked.map(async ({ ticket, score }) => {
      const entries = await deps.store.tickets.entries(ticket.id);
      const solvedNote = entries.findLast((e) => e.kind === 'status' && e.data.to === 'solved' && e.body);
      const lastReply = entries.findLast((e) => e.kind === 'reply' && e.body);
      return {
        ticket,
        score: Math.round(score * 1000) / 1000,
        solution: solvedNote?.body ?? lastReply?.body ?? null,
      };
    }),
  );
}
