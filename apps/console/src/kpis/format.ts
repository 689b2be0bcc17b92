// How each KPI reads: rates as percentages, times and scores with one decimal.
import type { KpiReport } from '@zhike/contracts';

type Key = KpiReport['kpis'][number]['key'];

const RATES: ReadonlySet<Key> = new Set([
  'fcr',
  'containment',
  'complaintClosure',
  'slaAttainment',
  'botFallbackRate',
]);

export const isRate = (key: Key) => RATES.has(key);

export function formatKpi(key: Key, value: number | null): string {
  if (value === null) return '—';
  if (isRate(key)) return `${(value * 100).toFixed(1)}%`;
  return value.toFixed(1);
}
