// The assist tuning sets (dev.zh-CN.jsonl, and dev2.zh-CN.jsonl written later to catch what tuning on the
// first overfitted) are what the ranking is tuned on, so the replay stays held out: their own customer
// texts, none equal to a replay text, to a history message or to each other's. The replay file is read
// only as hashes of normalised texts, and a failure names tuning lines only.
import { createHash } from 'node:crypto';
import { normalise } from '@zhike/nlu';
import { describe, expect, it } from 'vitest';
import { DEV_PATH, DEV2_PATH, loadHistory, loadReplay, REPLAY_PATH } from './corpus.ts';

const SETS = [
  { name: 'dev', path: DEV_PATH, id: /^d\d{3}$/, atLeast: 40 },
  { name: 'dev2', path: DEV2_PATH, id: /^e\d{3}$/, atLeast: 80 },
] as const;

/** Normalised, no spaces/punctuation/symbols/final particles: rewordings only by those are one text. */
function nearKey(text: string): string {
  return normalise(text)
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/[吗呢吧啊呀啦嘛哦哈]+$/u, '');
}
const hash = (key: string) => createHash('sha256').update(key).digest('hex');

describe.each(SETS)('assist tuning set $name', ({ name, path, id, atLeast }) => {
  const lines = loadReplay(path);

  it('has enough well-formed pairs with unique ids and customer texts', () => {
    expect(lines.length).toBeGreaterThanOrEqual(atLeast);
    for (const line of lines) {
      const where = `${line.id}: ${line.text}`;
      expect(Object.keys(line).sort(), where).toEqual(['id', 'reply', 'text']);
      expect(line.id, where).toMatch(id);
      expect(line.text.trim().length, where).toBeGreaterThan(0);
      expect(line.reply.trim().length, where).toBeGreaterThan(0);
    }
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    expect(new Set(lines.map((l) => nearKey(l.text))).size).toBe(lines.length);
  });

  it('shares no customer text with the replay, the history or the other tuning set', () => {
    const replay = new Set(loadReplay(REPLAY_PATH).map((l) => hash(nearKey(l.text))));
    expect(lines.filter((l) => replay.has(hash(nearKey(l.text)))).map((l) => l.id)).toEqual([]);
    const history = new Set(loadHistory().flatMap((h) => h.turns.map(([asked]) => nearKey(asked))));
    expect(lines.filter((l) => history.has(nearKey(l.text))).map((l) => `${l.id} ${l.text}`)).toEqual([]);
    for (const other of SETS.filter((s) => s.name !== name)) {
      const theirs = new Set(loadReplay(other.path).map((l) => nearKey(l.text)));
      expect(lines.filter((l) => theirs.has(nearKey(l.text))).map((l) => `${l.id} ${l.text}`)).toEqual([]);
    }
  });
});
