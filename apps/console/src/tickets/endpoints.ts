// The ticket endpoints the console calls (spread into createZhikeApi).
import type {
  MyMentions,
  TicketAssignBody,
  TicketAssignmentRuleBody,
  TicketAssignmentRuleList,
  TicketAssignmentRuleView,
  TicketBody,
  TicketCommentBody,
  TicketDetail,
  TicketEntry,
  TicketFieldBody,
  TicketFieldList,
  TicketFieldPatchBody,
  TicketFieldView,
  TicketList,
  TicketMergeBody,
  TicketMergeView,
  TicketPatchBody,
  TicketQuery,
  TicketSettings,
  TicketSolutions,
  TicketStatusBody,
  TicketView,
  TicketWatchers,
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
  watchTicket: (id: string, userId?: string) =>
    http.request<TicketWatchers>('POST', `/api/v1/tickets/${enc(id)}/watchers`, {
      body: userId ? { userId } : {},
    }),
  unwatchTicket: (id: string, userId: string) =>
    http.request<TicketWatchers>('DELETE', `/api/v1/tickets/${enc(id)}/watchers/${enc(userId)}`),
  myMentions: (signal?: AbortSignal) => http.request<MyMentions>('GET', '/api/v1/me/mentions', { signal }),
  mergeTicket: (id: string, body: TicketMergeBody) =>
    http.request<TicketMergeView>('POST', `/api/v1/tickets/${enc(id)}/merge`, { body }),
  ticketSettings: (signal?: AbortSignal) =>
    http.request<TicketSettings>('GET', '/api/v1/ticket-settings', { signal }),
  saveTicketSettings: (body: TicketSettings) =>
    http.request<TicketSettings>('PUT', '/api/v1/ticket-settings', { body }),
  listTicketFields: (signal?: AbortSignal) =>
    http.request<TicketFieldList>('GET', '/api/v1/ticket-fields', { signal }),
  createTicketField: (body: TicketFieldBody) =>
    http.request<TicketFieldView>('POST', '/api/v1/ticket-fields', { body }),
  updateTicketField: (id: string, body: TicketFieldPatchBody) =>
    http.request<TicketFieldView>('PATCH', `/api/v1/ticket-fields/${enc(id)}`, { body }),
  archiveTicketField: (id: string) => http.request<unknown>('DELETE', `/api/v1/ticket-fields/${enc(id)}`),
  listTicketAssignmentRules: (signal?: AbortSignal) =>
    http.request<TicketAssignmentRuleList>('GET', '/api/v1/ticket-assignment-rules', { signal }),
  createTicketAssignmentRule: (body: TicketAssignmentRuleBody) =>
    http.request<TicketAssignmentRuleView>('POST', '/api/v1/ticket-assignment-rules', { body }),
  updateTicketAssignmentRule: (id: string, body: TicketAssignmentRuleBody) =>
    http.request<TicketAssignmentRuleView>('PUT', `/api/v1/ticket-assignment-rules/${enc(id)}`, { body }),
  deleteTicketAssignmentRule: (id: string) =>
    http.request<unknown>('DELETE', `/api/v1/ticket-assignment-rules/${enc(id)}`),
});
