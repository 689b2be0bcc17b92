// The clock a target counts on: the workspace's business calendar, or around the clock for 24×7 targets.
import type { WorkspaceRepositories } from '../ports.ts';
import { type BusinessClock, businessClock, roundTheClock } from './businessCalendar.ts';

/** Loads the workspace calendar once and hands out the right clock per target. */
export async function slaClocksOf(
  tx: WorkspaceRepositories,
): Promise<(businessHours: boolean) => BusinessClock> {
  const calendar = businessClock(await tx.sla.calendar.get());
  return (businessHours) => (businessHours ? calendar : roundTheClock);
}
