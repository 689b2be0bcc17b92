// The SLA report: met and breached targets per metric, and per priority and category within each.
import type { Priority } from '../model.ts';
import type { SlaReportRow } from './repository.ts';
import { type SlaMetric, slaMetrics } from './slaPolicy.ts';

export interface SlaCounts {
  met: number;
  breached: number;
  open: number;
  /** met / (met + breached); null when nothing finished. */
  metRate: number | null;
}

export interface SlaReportSummary {
  byMetric: (SlaCounts & { metric: SlaMetric })[];
  byPriority: (SlaCounts & { metric: SlaMetric; priority: Priority })[];
  byCategory: (SlaCounts & { metric: SlaMetric; category: string | null })[];
}

const counts = (rows: readonly SlaReportRow[]): SlaCounts => {
  const met = rows.reduce((n, r) => n + r.met, 0);
  const breached = rows.reduce((n, r) => n + r.breached, 0);
  const open = rows.reduce((n, r) => n + r.open, 0);
  return { met, breached, open, metRate: met + breached === 0 ? null : met / (met + breached) };
};

function groupBy<K>(rows: readonly SlaReportRow[], key: (r: SlaReportRow) => K): Map<K, SlaReportRow[]> {
  const groups = new Map<K, SlaReportRow[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return groups;
}

export function summariseSlaReport(rows: readonly SlaReportRow[]): SlaReportSummary {
  const priorityOrder: Priority[] = ['urgent', 'high', 'normal', 'low'];
  return {
    byMetric: slaMetrics.map((metric) => ({ metric, ...counts(rows.filter((r) => r.metric === metric)) })),
    byPriority: slaMetrics.flatMap((metric) =>
      priorityOrder
        .map((priority) => ({
          metric,
          priority,
          ...counts(rows.filter((r) => r.metric === metric && r.priority === priority)),
        }))
        .filter((g) => g.met + g.breached + g.open > 0),
    ),
    byCategory: slaMetrics.flatMap((metric) =>
      [
        ...groupBy(
          rows.filter((r) => r.metric === metric),
          (r) => r.category,
        ).entries(),
      ].map(([category, group]) => ({
        metric,
        category,
        ...counts(group),
      })),
    ),
  };
}
