// The ticket endpoints the console calls (spread into createZhikeApi).
import type {
  TicketAssignBody,
  TicketBody,
  TicketCommentBody,
  TicketDetail,
  TicketEntry,
  TicketList,
  TicketPatchBody,
  TicketQuery,
  TicketSolutions,
  TicketStatusBody,
  TicketView,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const enc = encodeURIComponent;

export const ticketEndpoints = (http: HttpClient) => ({
  listTickets: (query: TicketQuery, signal?: AbortSignal) =>
    http.request<TicketList>('GET', '/api/v1/tickets', { query, signal }),
  getTicket: (id: string, signal?: AbortSignal) =>
    http.request<TicketDetail>('GET', `/api/v1/tickets/${enc(id)}`, { signal }),
  ticketSolutions: (id: string, signal?: AbortSignal) =>
    http.request<TicketSolutions>('GET', `/api/v1/tickets/${enc(id)}/solutions`, { signal }),
  openTicket: (body: TicketBody) => http.request<TicketView>('POST', '/api/v1/tickets', { body }),
  updateTicket: (id: string, body: TicketPatchBody) =>
    http.request<TicketView>('PATCH', `/api/v1/tickets/${enc(id)}`, { body }),
  moveTicket: (id: string, body: TicketStatusBody) =>
    http.request<TicketView>('POST', `/api/v1/tickets/${enc(id)}/status`, { body }),
  assignTicket: (id: string, body: TicketAssignBody) =>
    http.request<TicketView>('POST', `/api/v1/tickets/${enc(id)}/assignment`, { body }),
  commentOnTicket: (id: string, body: TicketCommentBody) =>
    http.request<{ entry: TicketEntry }>('POST', `/api/v1/tickets/${enc(id)}/comments`, { body }),
});
