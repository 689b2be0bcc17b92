// Read-back: rewrites a reply written for the screen into what a TTS voice should say — identifiers
// (order and phone numbers, codes like SF1234) digit by digit with pauses, Latin letters in Chinese text
// spelled out for the pinyin voice, links and emoji dropped. Amounts, dates and times are left to the voice.

/** True for languages read with Chinese digits and letter names ('zh-CN', 'zh', 'yue', 'zh-HK', 'cmn'…). */
export function isChineseLanguage(language: string | undefined): boolean {
  return /^(zh|yue|cmn|wuu|hak)\b/i.test(language ?? '');
}

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
// Letter names as Chinese speakers say them, in characters the pinyin voice reads right.
const ZH_LETTERS: Record<string, string> = {
  A: '诶',
  B: '必',
  C: '西',
  D: '迪',
  E: '伊',
  F: '艾弗',
  G: '吉',
  H: '艾尺',
  I: '艾',
  J: '杰',
  K: '开',
  L: '艾勒',
  M: '艾姆',
  N: '恩',
  O: '欧',
  P: '批',
  Q: '丘',
  R: '阿尔',
  S: '艾斯',
  T: '提',
  U: '优',
  V: '维',
  W: '达布流',
  X: '艾克斯',
  Y: '歪',
  Z: '贼德',
};

const URL = /\b(?:https?:\/\/|www\.)[^\s，。！？、；：）)】」』"'<>]+/gi;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const EMOJI = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|\u{FE0F}|\u{200D}|\u{20E3}/gu;
// Markdown and decoration the screen shows and a voice would read as words ("asterisk").
const MARKUP = /[*_`#>|~\\]+/g;

/**
 * A run of letters, digits and joiners ('-', spaces between digit groups, a leading '+') that may be an
 * identifier. Which runs are identifiers is decided in `isIdentifier`.
 */
const CANDIDATE = /\+?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])|(?<=\d) (?=\d))*/g;

function digitCount(token: string): number {
  return (token.match(/\d/g) ?? []).length;
}

function isIdentifier(token: string, before: string, after: string): boolean {
  const digits = digitCount(token);
  if (digits === 0) return false;
  const letters = /[A-Za-z]/.test(token);
  // Amounts: currency before, unit or decimal after; left for the voice to read as numbers.
  if (/[¥￥$€£]\s*$/.test(before) || /^\s*(?:元|块|角|分钱|%|％|美元|USD|RMB|CNY)/i.test(after)) return false;
  if (/^[.,]\d/.test(after) || /\d[.,]$/.test(before)) return false;
  // Dates and times: 2024-05-01, 2024年, 5月, 9:30.
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(token)) return false;
  if (/^\s*[年月日号點点时時分秒:：]/.test(after)) return false;
  if (letters) return digits >= 1 && /^[A-Za-z0-9-]+$/.test(token.replace(/^\+/, ''));
  return digits >= 5;
}

/** Digit groups to pause between: the writer's own grouping, else phone-style 3-4-4 or fours. */
function groups(token: string): string[] {
  const written = token.split(/[- ]+/).filter(Boolean);
  if (written.length > 1) return written;
  const t = written[0] ?? '';
  if (/^1\d{10}$/.test(t)) return [t.slice(0, 3), t.slice(3, 7), t.slice(7)];
  if (t.length <= 6) return [t];
  const out: string[] = [];
  for (let i = 0; i < t.length; i += 4) out.push(t.slice(i, i + 4));
  return out;
}

function readIdentifier(token: string, chinese: boolean): string {
  const plus = token.startsWith('+');
  const spoken = groups(token.replace(/^\+/, '')).map((group) =>
    [...group]
      .map((ch) => {
        if (/\d/.test(ch)) return chinese ? ZH_DIGITS[Number(ch)]! : ch;
        return chinese ? (ZH_LETTERS[ch.toUpperCase()] ?? ch) : ch.toUpperCase();
      })
      .join(' '),
  );
  const lead = plus ? (chinese ? '加 ' : 'plus ') : '';
  return lead + spoken.join(chinese ? '，' : ', ');
}

function spellLatin(word: string): string {
  return [...word].map((ch) => ZH_LETTERS[ch.toUpperCase()] ?? ch).join(' ');
}

/**
 * The text a TTS voice should say for `text` in `language`. Identifiers become separated digits (and
 * letters), so "订单10245" is read 一 零 二 四 五 rather than 一万零二百四十五.
 */
export function toSpeakable(text: string, language: string | undefined): string {
  const chinese = isChineseLanguage(language);
  const cleaned = text.replace(URL, ' ').replace(EMAIL, ' ').replace(EMOJI, '').replace(MARKUP, ' ');
  const spoken = cleaned.replace(CANDIDATE, (token: string, offset: number, whole: string) => {
    const before = whole.slice(Math.max(0, offset - 3), offset);
    const after = whole.slice(offset + token.length, offset + token.length + 4);
    if (isIdentifier(token, before, after)) {
      return `${padFor(chinese, before)}${readIdentifier(token, chinese)}${padAfter(chinese, after)}`;
    }
    if (chinese && /[A-Za-z]/.test(token)) {
      // Words and digits inside one run ("iPhone 15") are handled piecewise: letters spelled, numbers kept.
      return token.replace(/[A-Za-z]+/g, (w) => ` ${spellLatin(w)} `);
    }
    return token;
  });
  return spoken
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?([，。！？、；：]) ?/g, '$1')
    .replace(/ ([,.!?;:])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

// A pause before and after an identifier read digit by digit helps the listener hear where it starts.
function padFor(chinese: boolean, before: string): string {
  if (before === '' || /[\s，。！？、；：,.!?;:]$/.test(before)) return chinese ? '' : ' ';
  return chinese ? '，' : ' ';
}

function padAfter(chinese: boolean, after: string): string {
  if (after === '' || /^[\s，。！？、；：,.!?;:]/.test(after)) return chinese ? '' : ' ';
  return chinese ? '，' : ' ';
}

/**
 * Splits a reply into sentences so the first can be synthesised and played while the rest are made.
 * Keeps the terminal punctuation (it shapes the voice's intonation); very short pieces join the next.
 */
export function splitSentences(text: string): string[] {
  const parts = text.match(/[^。！？!?；;\n]+[。！？!?；;]*|[。！？!?；;]+/g) ?? [];
  const out: string[] = [];
  let carry = '';
  for (const raw of parts) {
    const piece = (carry + raw).trim();
    carry = '';
    if (!piece) continue;
    // "好。" alone is too short to be worth its own synthesis round trip.
    if ([...piece.replace(/[。！？!?；;\s]/g, '')].length < 2) {
      carry = `${piece} `;
      continue;
    }
    // Latin full stops end sentences only when followed by a space (not 3.5 or www.x.com).
    out.push(...piece.split(/(?<=[a-z)][.](?=\s))\s+/i).filter((s) => s.trim()));
  }
  if (carry.trim()) {
    if (out.length > 0) out[out.length - 1] = `${out[out.length - 1]} ${carry.trim()}`;
    else out.push(carry.trim());
  }
  return out.map((s) => s.trim()).filter(Boolean);
}
