// One timeline across channels: every conversation a customer had on any inbox, and their messages
// interleaved oldest first, so an agent sees what was said on the widget before the SMS that just came in.
import { notFound } from '../errors.ts';
import type { Conversation, Customer, Message } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';

export interface CustomerTimelineInput {
  /** A merged-away id shows the customer it was merged into. */
  customerId: string;
  /** A message id: only what came after it. */
  after?: string;
  limit: number;
}

export interface CustomerTimelineOutput {
  customer: Customer;
  conversations: Conversation[];
  messages: Message[];
  hasMore: boolean;
}

export async function customerTimeline(
  deps: Pick<UseCaseDeps, 'store'>,
  input: CustomerTimelineInput,
): Promise<CustomerTimelineOutput> {
  const customer = await deps.store.customers.get(input.customerId);
  if (!customer) throw notFound('customer');
  const [conversations, page] = await Promise.all([
    deps.store.conversations.listByCustomer(customer.id),
    // One extra tells whether another page follows.
    deps.store.messages.listForCustomer(customer.id, {
      ...(input.after ? { after: input.after } : {}),
      limit: input.limit + 1,
    }),
  ]);
  return {
    customer,
    conversations,
    messages: page.slice(0, input.limit),
    hasMore: page.length > input.limit,
  };
}
