// The zone a workspace's reports count days in (analytics, KPIs, QA, topics, the weekly review): its
// business hours' zone, else Shanghai's. A zone the runtime does not know (old settings) falls back too.
import type { WorkspaceRepositories } from '../ports.ts';
import { defaultTimeZone } from '../sla/businessCalendar.ts';
import { isKnownTimeZone } from '../time/dateTimeFormat.ts';

export function reportingTimeZone(zone: string | null | undefined): string {
  if (!zone) return defaultTimeZone;
  return isKnownTimeZone(zone) ? zone : defaultTimeZone;
}

export async function workspaceTimeZone(store: Pick<WorkspaceRepositories, 'botSettings'>): Promise<string> {
  return reportingTimeZone((await store.botSettings.get())?.businessHours?.timeZone);
}
