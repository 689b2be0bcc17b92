// Agents' notes on a customer: added to the customer a merged-away id now resolves to; deleted by their
// author, or by whoever may tidy the team's notes.
import { DomainError, forbidden, notFound } from '../errors.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { CustomerNote } from './customer360.ts';

export interface AddCustomerNoteInput {
  customerId: string;
  authorUserId: string;
  body: string;
}

export async function addCustomerNote(deps: UseCaseDeps, input: AddCustomerNoteInput): Promise<CustomerNote> {
  const body = input.body.trim();
  if (body.length === 0) throw new DomainError('validation_failed', 'the note is empty');
  const customer = await deps.store.customers.get(input.customerId);
  if (!customer) throw notFound('Customer');
  const note: CustomerNote = {
    id: deps.newId(),
    customerId: customer.id,
    authorUserId: input.authorUserId,
    body,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.store.customerNotes.add(note);
  return note;
}

export interface DeleteCustomerNoteInput {
  customerId: string;
  noteId: string;
  userId: string;
  /** May delete notes other people wrote. */
  mayDeleteOthers: boolean;
}

/** Returns the deleted note (its body is gone from storage once this returns). */
export async function deleteCustomerNote(
  deps: UseCaseDeps,
  input: DeleteCustomerNoteInput,
): Promise<CustomerNote> {
  const customer = await deps.store.customers.get(input.customerId);
  const note = customer ? await deps.store.customerNotes.get(input.noteId) : null;
  // A note of another customer is "not found" here, like a note that never existed.
  if (!customer || !note || note.customerId !== customer.id) throw notFound('Note');
  if (note.authorUserId !== input.userId && !input.mayDeleteOthers)
    throw forbidden('only the author or a supervisor may delete this note');
  const deleted = await deps.store.customerNotes.delete(note.id, deps.clock.now().toISOString());
  if (!deleted) throw notFound('Note');
  return note;
}
