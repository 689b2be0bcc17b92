// What the supervisors' wallboard shows, from the waiting line and the agents as the API gives them: who
// waits and for how long (overall and per queue), and who can take them.
import type { Agent, WaitingConversation } from '@zhike/contracts';

export interface QueueRow {
  key: string;
  name: string;
  waiting: number;
  longestSeconds: number;
}

export interface Wallboard {
  waiting: number;
  longestSeconds: number | null;
  online: number;
  away: number;
  offline: number;
  /** Conversations held plus offers, over the online agents' capacity. */
  load: number;
  capacity: number;
  queues: QueueRow[];
}

const seconds = (since: string, now: number) => Math.max(0, Math.round((now - Date.parse(since)) / 1000));

export function wallboardOf(
  waiting: readonly WaitingConversation[],
  agents: readonly Agent[],
  now: number,
): Wallboard {
  const queues = new Map<string, QueueRow>();
  let longest: number | null = null;
  for (const w of waiting) {
    const wait = seconds(w.waitingSince, now);
    longest = longest === null ? wait : Math.max(longest, wait);
    const key = w.queue?.key ?? '';
    const row = queues.get(key) ?? { key, name: w.queue?.name ?? '', waiting: 0, longestSeconds: 0 };
    row.waiting++;
    row.longestSeconds = Math.max(row.longestSeconds, wait);
    queues.set(key, row);
  }
  const online = agents.filter((a) => a.status === 'online');
  return {
    waiting: waiting.length,
    longestSeconds: longest,
    online: online.length,
    away: agents.filter((a) => a.status === 'away').length,
    offline: agents.filter((a) => a.status === 'offline').length,
    load: online.reduce((n, a) => n + a.load, 0),
    capacity: online.reduce((n, a) => n + a.capacity, 0),
    queues: [...queues.values()].sort((a, b) => b.longestSeconds - a.longestSeconds),
  };
}

/** 75 → "1:15", 3,725 → "1:02:05". */
export function clock(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
