import type { QualityHitView, QualityLineView } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import { markLines } from './evidence.ts';

const line = (messageId: string, text: string): QualityLineView => ({
  messageId,
  seq: null,
  speaker: 'agent',
  text,
  startMs: 0,
  endMs: 0,
});
const hit = (ruleId: string, messageId: string, match: [number, number] | null): QualityHitView => ({
  ruleId,
  kind: 'forbidden_phrase',
  messageId,
  seq: null,
  from: null,
  to: null,
  match,
  excerpt: '',
  value: null,
});

describe('marking the evidence in the transcript', () => {
  it('cuts a line into plain and highlighted pieces, overlapping hits included', () => {
    const [marked] = markLines(
      [line('m1', '不 知 道，你自己看吧')],
      [hit('words', 'm1', [0, 5]), hit('words', 'm1', [6, 10]), hit('tone', 'm1', [8, 10])],
    );
    expect(marked?.pieces).toEqual([
      { start: 0, text: '不 知 道', ruleIds: ['words'] },
      { start: 5, text: '，', ruleIds: [] },
      { start: 6, text: '你自', ruleIds: ['words'] },
      { start: 8, text: '己看', ruleIds: ['words', 'tone'] },
      { start: 10, text: '吧', ruleIds: [] },
    ]);
  });
  it('marks a whole line for a hit without words, and leaves other lines plain', () => {
    const marked = markLines([line('m1', '在吗'), line('m2', '好')], [hit('slow', 'm1', null)]);
    expect(marked.map((m) => [m.wholeLine, m.pieces.length])).toEqual([
      [['slow'], 1],
      [[], 1],
    ]);
  });
});
