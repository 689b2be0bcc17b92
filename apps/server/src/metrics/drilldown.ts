// What is behind a KPI's number (the dashboard's drill-down): the conversations (or, for complaint
// closure and SLA attainment, the complaints and tickets) that made the number in the range, worst first,
// with the value each added, so a supervisor can open them. Read from the facts the number was built
// from (agent-metrics rows, bot turns, the rollups' kept facts), with the same definitions as the rollups.
import {
  type BotAnalyticsRange,
  type ConversationActivity,
  FCR_WINDOW_MS,
  type KpiKey,
  type MetricFact,
  type RollupFilter,
  type RollupMetric,
  type WorkspaceStore,
} from '@zhike/core';

export const DRILLDOWN_KPIS = [
  'aiResponseSeconds',
  'humanResponseSeconds',
  'pickupWaitSeconds',
  'handleMinutes',
  'containment',
  'fcr',
  'botFallbackRate',
  'csat',
  'complaintClosure',
  'slaAttainment',
] as const satisfies readonly KpiKey[];
export type DrilldownKpi = (typeof DRILLDOWN_KPIS)[number];

export interface DrilldownRow {
  /** The conversation, or the one the ticket or complaint came from (null when it came from none). */
  conversationId: string | null;
  ticketId: string | null;
  complaintId: string | null;
  /** The conversation's channel; '' without one. */
  channel: string;
  /** When the fact happened (the reply, the pick-up, the resolution, the bot's turn). */
  at: string;
  /** What it added: seconds, minutes, or 1/0 for a yes/no KPI (contained, resolved at first contact). */
  value: number;
  agentId: string | null;
}

/** Facts read per request at most: a drill-down shows the worst of a range, not all of a year. */
const SCAN = 500;

export async function conversationsBehind(
  store: WorkspaceStore,
  kpi: DrilldownKpi,
  range: BotAnalyticsRange,
  filter: RollupFilter,
  limit: number,
): Promise<DrilldownRow[]> {
  const from = range.days[0]?.start ?? new Date(0).toISOString();
  const to = range.days.at(-1)?.end ?? from;
  const rows: DrilldownRow[] = [];
  const conversations = new Map<string, Awaited<ReturnType<WorkspaceStore['conversations']['get']>>>();
  const conversation = async (id: string) => {
    if (!conversations.has(id)) conversations.set(id, await store.conversations.get(id));
    return conversations.get(id) ?? null;
  };
  const keep = async (id: string, agentId: string | null) => {
    if (!filter) return true;
    const c = await conversation(id);
    if (!c) return false;
    if (filter.dim === 'channel') return c.channel === filter.value;
    if (filter.dim === 'queue') return c.queueId === filter.value;
    if (filter.dim === 'agent') return agentId === filter.value;
    return ((await store.botTurns.firstTarget(id)) ?? '') === filter.value;
  };
  const push = async (a: Pick<ConversationActivity, 'conversationId' | 'at' | 'userId'>, value: number) => {
    if (!(await keep(a.conversationId, a.userId))) return;
    const c = await conversation(a.conversationId);
    if (c)
      rows.push({
        conversationId: c.id,
        ticketId: null,
        complaintId: null,
        channel: c.channel,
        at: a.at,
        value,
        agentId: a.userId,
      });
  };
  /** A kept fact (already filtered by dimension in the query) as a row. */
  const pushFact = (f: MetricFact, value: number) =>
    rows.push({
      conversationId: f.subject.conversationId,
      ticketId: f.subject.kind === 'ticket' ? f.subject.id : null,
      complaintId: f.subject.kind === 'complaint' ? f.subject.id : null,
      channel: f.channel,
      at: f.at,
      value,
      agentId: f.agentId || null,
    });
  const facts = (metric: RollupMetric) => store.metricRollups.facts([metric], from, to, filter, SCAN);

  switch (kpi) {
    case 'aiResponseSeconds':
      for (const f of await facts('ai_first_response')) pushFact(f, Math.round(f.total / 100) / 10);
      rows.sort((x, y) => y.value - x.value);
      break;
    case 'csat':
      for (const f of await facts('csat')) pushFact(f, f.total);
      rows.sort((x, y) => x.value - y.value);
      break;
    case 'complaintClosure':
      // Complaints opened in the range: 1 once closed (whenever), 0 while still open — open ones first.
      for (const f of await facts('complaint_opened')) {
        const complaint = await store.complaints.get(f.subject.id);
        if (complaint) pushFact(f, complaint.status === 'closed' ? 1 : 0);
      }
      rows.sort((x, y) => x.value - y.value);
      break;
    case 'slaAttainment':
      // Tickets solved in the range: 0 when a target of theirs was missed, 1 when all were met.
      for (const f of await facts('tickets_solved')) {
        const clocks = await store.sla.clocks.forTicket(f.subject.id);
        pushFact(f, clocks.some((c) => c.breachedAt !== null) ? 0 : 1);
      }
      rows.sort((x, y) => x.value - y.value);
      break;
    case 'humanResponseSeconds':
      for (const a of await store.agentMetrics.activityIn('first_reply', from, to, SCAN))
        await push(a, Math.round((a.durationMs ?? 0) / 100) / 10);
      rows.sort((x, y) => y.value - x.value);
      break;
    case 'handleMinutes':
      for (const a of await store.agentMetrics.activityIn('resolved', from, to, SCAN))
        if (a.durationMs !== null) await push(a, Math.round(a.durationMs / 6000) / 10);
      rows.sort((x, y) => y.value - x.value);
      break;
    case 'pickupWaitSeconds':
      for (const a of await store.agentMetrics.activityIn('assigned', from, to, SCAN)) {
        if (!a.userId) continue;
        const history = await store.agentMetrics.activity(a.conversationId);
        const waiting = history.findLast(
          (r) => (r.kind === 'waiting' || r.kind === 'reopened') && r.at <= a.at,
        );
        const picked = history.some(
          (r) => r.kind === 'assigned' && r.userId && waiting && r.at >= waiting.at && r.at < a.at,
        );
        if (waiting && !picked)
          await push(a, Math.round((Date.parse(a.at) - Date.parse(waiting.at)) / 100) / 10);
      }
      rows.sort((x, y) => y.value - x.value);
      break;
    case 'containment':
      for (const a of await store.agentMetrics.activityIn('resolved', from, to, SCAN)) {
        const c = await conversation(a.conversationId);
        if (!c) continue;
        const human = c.handedOff || (await store.messages.countByAuthor(c.id, 'agent')) > 0;
        await push(a, human ? 0 : 1);
      }
      rows.sort((x, y) => x.value - y.value);
      break;
    case 'fcr':
      for (const a of await store.agentMetrics.activityIn('resolved', from, to, SCAN)) {
        const c = await conversation(a.conversationId);
        if (!c) continue;
        const intent = await store.botTurns.firstTarget(c.id);
        const until = Date.parse(a.at) + FCR_WINDOW_MS;
        let repeated = false;
        if (intent)
          for (const later of await store.conversations.listByCustomer(c.customerId)) {
            if (later.id === c.id || later.createdAt < a.at || Date.parse(later.createdAt) > until) continue;
            if ((await store.botTurns.firstTarget(later.id)) === intent) {
              repeated = true;
              break;
            }
          }
        await push(a, repeated ? 0 : 1);
      }
      rows.sort((x, y) => x.value - y.value);
      break;
    case 'botFallbackRate': {
      // The questions the bot could not answer, by conversation, the most such turns first.
      const turns = await store.botTurns.unanswered(range, SCAN);
      const counts = new Map<string, { at: string; count: number }>();
      for (const turn of turns) {
        const entry = counts.get(turn.conversationId) ?? { at: turn.at, count: 0 };
        entry.count++;
        counts.set(turn.conversationId, entry);
      }
      for (const [conversationId, { at, count }] of counts)
        await push({ conversationId, at, userId: null }, count);
      rows.sort((x, y) => y.value - x.value);
      break;
    }
  }
  return rows.slice(0, limit);
}
