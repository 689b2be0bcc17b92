// Word dictionary for segmenting Chinese in plain JS: a trie over char codes stored as one hash
// table of (parent node, char code) → child node. An intent model only has features for words it
// saw in training, so finding those words in a message gives every word feature jieba's output could
// contribute, without the native call (and its string marshalling) on every message.

export interface WordDictionary {
  /** The words of two or more characters, in insertion order (what a model's JSON stores). */
  readonly words: readonly string[];
  /**
   * Append every dictionary word in text[start, end), by start then length, and each character no
   * word covers. Overlapping words are all kept: 5-fold CV on smp2017-ecdt train scored this 90.1 %
   * against 90.0 % for jieba on every message and 89.5–89.7 % for one best path (forward maximum
   * matching, or jieba's unigram rule with counts from the training words).
   */
  segment(text: string, start: number, end: number, out: string[]): void;
}

function slotOf(parent: number, code: number, mask: number): number {
  const h = Math.imul(parent ^ Math.imul(code, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) & mask;
}

export function createWordDictionary(words: Iterable<string>): WordDictionary {
  const list = [...new Set(words)].filter((w) => w.length >= 2);
  let chars = 0;
  for (const w of list) chars += w.length;
  let capacity = 16;
  while (capacity < chars * 2) capacity <<= 1;
  const mask = capacity - 1;
  // Per slot: parent node, char code, child node (0 = empty slot; the root is node 0, never a child).
  const parents = new Int32Array(capacity);
  const codes = new Uint16Array(capacity);
  const children = new Int32Array(capacity);
  const isWord = new Uint8Array(chars + 1);
  let nodes = 1;
  for (const w of list) {
    let node = 0;
    for (let i = 0; i < w.length; i++) {
      const code = w.charCodeAt(i);
      let slot = slotOf(node, code, mask);
      while (children[slot] !== 0 && (parents[slot] !== node || codes[slot] !== code))
        slot = (slot + 1) & mask;
      if (children[slot] === 0) {
        parents[slot] = node;
        codes[slot] = code;
        children[slot] = nodes++;
      }
      node = children[slot]!;
    }
    isWord[node] = 1;
  }
  return {
    words: list,
    segment(text, start, end, out) {
      let covered = start;
      for (let i = start; i < end; i++) {
        let node = 0;
        let found = false;
        for (let j = i; j < end; j++) {
          const code = text.charCodeAt(j);
          let slot = slotOf(node, code, mask);
          let child = children[slot]!;
          while (child !== 0 && (parents[slot] !== node || codes[slot] !== code)) {
            slot = (slot + 1) & mask;
            child = children[slot]!;
          }
          if (child === 0) break;
          node = child;
          if (isWord[node] === 1) {
            out.push(text.slice(i, j + 1));
            found = true;
            if (j + 1 > covered) covered = j + 1;
          }
        }
        if (!found && covered <= i) out.push(text[i]!);
      }
    },
  };
}
