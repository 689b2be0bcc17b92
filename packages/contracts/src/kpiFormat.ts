// How a KPI's value reads wherever it is shown (console, weekly review, its mail), importable as
// `@zhike/contracts/kpiFormat` without pulling the schema library into the console's bundle: runtime code
// here is plain functions, the only import is `import type` (protocol.test.ts keeps it that way).
import type { KpiKey } from './kpis.ts';

/** The KPIs whose values are rates (0–1); the others are seconds, minutes or a 1–5 score. */
const RATE_KPIS: ReadonlySet<KpiKey> = new Set([
  'fcr',
  'containment',
  'complaintClosure',
  'slaAttainment',
  'botFallbackRate',
]);

export const isRateKpi = (key: KpiKey): boolean => RATE_KPIS.has(key);

/** Rates in percent with one decimal; times and scores with one decimal; '—' for no value. */
export function formatKpi(key: KpiKey, value: number | null): string {
  if (value === null) return '—';
  if (isRateKpi(key)) return `${(value * 100).toFixed(1)}%`;
  return value.toFixed(1);
}
