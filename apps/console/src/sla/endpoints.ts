// The SLA endpoints the console calls (spread into createZhikeApi).
import type {
  SlaCalendarBody,
  SlaCalendarView,
  SlaPolicyBody,
  SlaPolicyList,
  SlaPolicyView,
  SlaReport,
  TicketSlaView,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const enc = encodeURIComponent;

export const slaEndpoints = (http: HttpClient) => ({
  getSlaCalendar: (year: number, signal?: AbortSignal) =>
    http.request<SlaCalendarView>('GET', '/api/v1/sla/calendar', { query: { year }, signal }),
  saveSlaCalendar: (body: SlaCalendarBody) =>
    http.request<SlaCalendarView>('PUT', '/api/v1/sla/calendar', { body }),
  listSlaPolicies: (signal?: AbortSignal) =>
    http.request<SlaPolicyList>('GET', '/api/v1/sla/policies', { signal }),
  createSlaPolicy: (body: SlaPolicyBody) =>
    http.request<{ policy: SlaPolicyView }>('POST', '/api/v1/sla/policies', { body }),
  updateSlaPolicy: (id: string, body: SlaPolicyBody) =>
    http.request<{ policy: SlaPolicyView }>('PUT', `/api/v1/sla/policies/${enc(id)}`, { body }),
  deleteSlaPolicy: (id: string) => http.request<unknown>('DELETE', `/api/v1/sla/policies/${enc(id)}`),
  getSlaReport: (query: { from: string; to: string }, signal?: AbortSignal) =>
    http.request<SlaReport>('GET', '/api/v1/sla/report', { query, signal }),
  getTicketSla: (ticketId: string, signal?: AbortSignal) =>
    http.request<TicketSlaView>('GET', `/api/v1/tickets/${enc(ticketId)}/sla`, { signal }),
});
