// #/tickets and #/tickets/<id>: the list, or one ticket's page.
import type { Route } from '../routing/route.ts';
import './tickets.css';
import { TicketDetailPage } from './TicketDetailPage.tsx';
import { TicketsPage } from './TicketsPage.tsx';

type Props = { ticketId: string | null; navigate: (route: Route) => void };

export function TicketsRoute({ ticketId, navigate }: Props) {
  if (!ticketId) return <TicketsPage />;
  return <TicketDetailPage key={ticketId} ticketId={ticketId} navigate={navigate} />;
}
