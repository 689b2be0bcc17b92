// Where a result's evidence sits in what was said: each transcript line cut into plain and highlighted
// pieces (a phrase hit marks its words; a hit on the whole line, such as a slow reply, marks the line).
import type { QualityHitView, QualityLineView } from '@zhike/contracts';

export interface LinePiece {
  /** Where the piece starts in the line's text. */
  start: number;
  text: string;
  /** The rule ids of the hits covering this piece (empty: plain text). */
  ruleIds: string[];
}

export interface MarkedLine {
  line: QualityLineView;
  pieces: LinePiece[];
  /** Rule ids of hits on the line as a whole (no words to mark). */
  wholeLine: string[];
}

const onLine = (hit: QualityHitView, line: QualityLineView) =>
  (hit.messageId !== null && hit.messageId === line.messageId) || (hit.seq !== null && hit.seq === line.seq);

export function markLines(lines: readonly QualityLineView[], hits: readonly QualityHitView[]): MarkedLine[] {
  return lines.map((line) => {
    const mine = hits.filter((h) => onLine(h, line));
    const ranges = mine.filter((h) => h.match && h.match.length === 2);
    const cuts = new Set<number>([0, line.text.length]);
    for (const h of ranges)
      for (const at of h.match as number[]) cuts.add(Math.max(0, Math.min(line.text.length, at)));
    const points = [...cuts].sort((a, b) => a - b);
    const pieces: LinePiece[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i] as number;
      const to = points[i + 1] as number;
      if (to <= from) continue;
      const ruleIds = ranges
        .filter(
          (h) => ((h.match as number[])[0] as number) <= from && ((h.match as number[])[1] as number) >= to,
        )
        .map((h) => h.ruleId);
      pieces.push({ start: from, text: line.text.slice(from, to), ruleIds: [...new Set(ruleIds)] });
    }
    const wholeLine = [...new Set(mine.filter((h) => !h.match).map((h) => h.ruleId))];
    return { line, pieces, wholeLine };
  });
}
