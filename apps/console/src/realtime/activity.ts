// Tells the server the agent is using the console, so presence does not turn them "away" while they
// read and click without sending anything. Throttled: presence needs minutes, not every keystroke.
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'focus'] as const;
export const ACTIVITY_REPORT_INTERVAL_MS = 60_000;

export interface ActivityWatchOptions {
  minIntervalMs?: number;
  now?: () => number;
}

export function watchAgentActivity(
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
  report: () => void,
  options: ActivityWatchOptions = {},
): () => void {
  const interval = options.minIntervalMs ?? ACTIVITY_REPORT_INTERVAL_MS;
  const now = options.now ?? Date.now;
  // Opening the feed already counts as activity on the server, so the first report waits a full interval.
  let lastReport = now();
  const onActivity = () => {
    const at = now();
    if (at - lastReport < interval) return;
    lastReport = at;
    report();
  };
  for (const name of ACTIVITY_EVENTS)
    target.addEventListener(name, onActivity, { capture: true, passive: true });
  return () => {
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, onActivity, { capture: true });
  };
}
