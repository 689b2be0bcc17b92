// Tickets as the API shows them: personal form fields masked, and for lists and the detail page the
// customer's display name and the SLA at this moment (one query for a page's clocks).
import type { TicketCustomer, TicketListItem } from '@zhike/contracts';
import { summariseTicketSla, type Ticket, type WorkspaceStore } from '@zhike/core';
import { maskedPii } from './presenters.ts';

/** The bot's form values may hold a phone or an address: masked like everywhere else. */
export const ticketDto = (t: Ticket) => ({ ...t, fields: maskedPii.formFields(t.fields) });

async function customersOf(
  store: WorkspaceStore,
  tickets: readonly Ticket[],
): Promise<Map<string, TicketCustomer | null>> {
  const ids = [...new Set(tickets.flatMap((t) => (t.customerId ? [t.customerId] : [])))];
  // Names are sealed per customer, so each is read through the repository that unseals it; a page holds
  // at most a few dozen distinct customers.
  const loaded = await Promise.all(ids.map((id) => store.customers.get(id)));
  return new Map(
    ids.map((id, i) => {
      const c = loaded[i];
      return [
        id,
        c
          ? {
              id: c.id,
              name: maskedPii.name(c.name),
              phone: maskedPii.phone(c.phone),
              externalId: c.identities.find((x) => x.kind === 'external')?.value ?? null,
            }
          : null,
      ];
    }),
  );
}

/** What a page of tickets needs besides the tickets: their customers and SLA clocks, loaded together. */
async function loadFor(store: WorkspaceStore, tickets: readonly Ticket[]) {
  const [customers, clocks] = await Promise.all([
    customersOf(store, tickets),
    store.sla.clocks.forTickets(tickets.map((t) => t.id)),
  ]);
  const clocksOf = new Map<string, typeof clocks>();
  for (const c of clocks) clocksOf.set(c.ticketId, [...(clocksOf.get(c.ticketId) ?? []), c]);
  return { customers, clocksOf };
}

const itemOf = (t: Ticket, loaded: Awaited<ReturnType<typeof loadFor>>, now: Date): TicketListItem => ({
  ...ticketDto(t),
  customer: t.customerId ? (loaded.customers.get(t.customerId) ?? null) : null,
  sla: summariseTicketSla(loaded.clocksOf.get(t.id) ?? [], now),
});

export async function ticketListItems(
  store: WorkspaceStore,
  tickets: readonly Ticket[],
  now: Date,
): Promise<TicketListItem[]> {
  const loaded = await loadFor(store, tickets);
  return tickets.map((t) => itemOf(t, loaded, now));
}

export const ticketListItem = async (store: WorkspaceStore, ticket: Ticket, now: Date) =>
  itemOf(ticket, await loadFor(store, [ticket]), now);
