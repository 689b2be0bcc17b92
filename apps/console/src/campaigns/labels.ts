// Colours and short texts shared by the campaign list and the campaign page.
import type { CampaignView } from '@zhike/contracts';

export const statusColor: Record<CampaignView['status'], string> = {
  draft: 'default',
  running: 'processing',
  paused: 'warning',
  completed: 'success',
  cancelled: 'error',
};

/** Share of the targets that are done (reached, unreached or skipped), 0–100. */
export function donePercent(progress: CampaignView['progress']): number {
  if (progress.total === 0) return 0;
  const done = progress.reached + progress.unreached + progress.skipped;
  return Math.round((done / progress.total) * 100);
}

/** The reached share of the total, drawn as the bar's inner (success) segment. */
export function reachedPercent(progress: CampaignView['progress']): number {
  return progress.total === 0 ? 0 : Math.round((progress.reached / progress.total) * 100);
}

/** The numbers the progress summary text fills in. */
export function progressVars(progress: CampaignView['progress']) {
  const { total, pending, dialing, reached, unreached, skipped } = progress;
  return { total, pending: pending + dialing, reached, unreached, skipped };
}
