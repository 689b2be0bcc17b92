// Keeps the transcript in step with the recording: which line is being heard at a playback position.
export interface TimedLine {
  startMs: number;
  endMs: number;
}

/**
 * Index of the line playing at `ms`: the last line that started at or before it, as long as the next one
 * has not started (a line stays lit through the pause after it). -1 before the first line.
 */
export function activeLineIndex(lines: readonly TimedLine[], ms: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const line = lines[mid];
    if (line && line.startMs <= ms) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** "m:ss" for a position in the recording. */
export function clockOf(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
