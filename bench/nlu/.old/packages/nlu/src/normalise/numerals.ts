// Chinese numerals → numbers: parsing a numeral phrase, and rewriting numeral runs inside free text
// without touching words that merely contain a numeral character (一下, 一起, 统一, 万一, 千万…).

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  幺: 1,
  壹: 1,
  二: 2,
  两: 2,
  兩: 2,
  贰: 2,
  貳: 2,
  三: 3,
  叁: 3,
  參: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  陸: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};

const SMALL_UNITS: Readonly<Record<string, number>> = {
  十: 10,
  拾: 10,
  百: 100,
  佰: 100,
  千: 1000,
  仟: 1000,
};
const BIG_UNITS: Readonly<Record<string, number>> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

const ARABIC_RE = /^\d+(?:\.\d+)?$/;
const ZEROES = new Set(['零', '〇']);

function roundFloat(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

type Token =
  | { kind: 'digit'; value: number }
  | { kind: 'zero' }
  | { kind: 'small'; value: number }
  | { kind: 'big'; value: number };

function tokenize(s: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    const arabic = /^\d+(?:\.\d+)?/.exec(s.slice(i));
    if (arabic) {
      tokens.push({ kind: 'digit', value: Number(arabic[0]) });
      i += arabic[0].length;
      continue;
    }
    if (ZEROES.has(c)) tokens.push({ kind: 'zero' });
    else if (c in DIGITS) tokens.push({ kind: 'digit', value: DIGITS[c]! });
    else if (c in SMALL_UNITS) tokens.push({ kind: 'small', value: SMALL_UNITS[c]! });
    else if (c in BIG_UNITS) tokens.push({ kind: 'big', value: BIG_UNITS[c]! });
    else return null;
    i++;
  }
  return tokens;
}

/** Digits without units: "二零二四" → 2024, "一三八" → 138. */
function parseDigitSequence(s: string): number | null {
  let out = '';
  for (const c of s) {
    if (c >= '0' && c <= '9') out += c;
    else if (c in DIGITS) out += String(DIGITS[c]);
    else return null;
  }
  return out === '' ? null : Number(out);
}

/** Numerals with units, including the colloquial elision "一万二" = 12000, "三千五" = 3500. */
function parseWithUnits(tokens: readonly Token[]): number | null {
  let total = 0;
  let section = 0;
  let pending: number | null = null;
  let lastSmall: number | null = null;
  let lastBig: number | null = null;
  let previous: Token | null = null;
  let zeroSinceUnit = false;
  let sawAnything = false;

  for (const token of tokens) {
    switch (token.kind) {
      case 'digit':
        if (pending !== null) return null;
        pending = token.value;
        break;
      case 'zero':
        if (pending !== null) return null;
        zeroSinceUnit = true;
        break;
      case 'small': {
        if (pending === null) {
          // Only 十 may stand without a leading digit ("十五"), and only at the start of a section.
          if (token.value !== 10 || lastSmall !== null || (previous !== null && previous.kind !== 'big'))
            return null;
          pending = 1;
        }
        if (lastSmall !== null && token.value >= lastSmall) return null;
        section += pending * token.value;
        pending = null;
        lastSmall = token.value;
        zeroSinceUnit = false;
        break;
      }
      case 'big': {
        if (pending !== null) section += pending;
        if (section === 0) return null;
        if (lastBig !== null && token.value >= lastBig) {
          // "一万亿": the larger unit scales everything before it.
          total = (total + section) * token.value;
        } else {
          total += section * token.value;
        }
        section = 0;
        pending = null;
        lastSmall = null;
        lastBig = token.value;
        zeroSinceUnit = false;
        break;
      }
    }
    sawAnything = true;
    previous = token;
  }
  if (!sawAnything) return null;
  if (pending !== null) {
    if (!zeroSinceUnit && previous !== null && previous.kind === 'digit' && tokens.length >= 2) {
      const beforeLast = tokens[tokens.length - 2]!;
      if (beforeLast.kind === 'small' || beforeLast.kind === 'big') {
        // Elision: the trailing digit counts in the next unit down ("一万二" → 1.2万).
        section += pending * (beforeLast.value / 10);
        pending = null;
      }
    }
    if (pending !== null) section += pending;
  }
  return roundFloat(total + section);
}

function parseNumberCore(s: string): number | null {
  if (s === '') return null;
  if (ARABIC_RE.test(s)) return Number(s);
  const dot = s.indexOf('点');
  if (dot > 0) {
    const whole = parseNumberCore(s.slice(0, dot));
    const fraction = s.slice(dot + 1);
    const fractionDigits = parseDigitSequence(fraction);
    if (whole === null || fractionDigits === null) return null;
    const digits = [...fraction].map((c) => (c in DIGITS ? String(DIGITS[c]) : c)).join('');
    return roundFloat(whole + Number(`0.${digits}`));
  }
  const tokens = tokenize(s);
  if (tokens === null || tokens.length === 0) return null;
  if (tokens.every((t) => t.kind === 'digit' || t.kind === 'zero')) {
    if (tokens.length === 1) return tokens[0]!.kind === 'zero' ? 0 : (tokens[0] as { value: number }).value;
    return parseDigitSequence(s);
  }
  return parseWithUnits(tokens);
}

const MONEY_RE = /^(.*?)(?:块|元|圆|塊|圓)(?:钱)?(?:(.+?)(?:毛|角)?)?(?:(.+?)分)?$/;
const JIAO_RE = /^(.+?)(?:毛|角)(?:(.+?)分?)?$/;

function parseMoney(s: string): number | null {
  const m = MONEY_RE.exec(s);
  if (m) {
    const yuan = m[1] === '' ? 0 : parseNumberCore(m[1]!);
    if (yuan === null) return null;
    let rest = m[2] ?? '';
    let fen = m[3] ?? '';
    if (rest.startsWith('零')) rest = rest.slice(1);
    if (rest !== '' && /[毛角]/.test(rest)) {
      const j = JIAO_RE.exec(rest);
      if (!j) return null;
      rest = j[1]!;
      fen = j[2] ?? fen;
    } else if (rest.endsWith('分') && fen === '') {
      fen = rest.slice(0, -1);
      rest = '';
    }
    const jiao = rest === '' ? 0 : parseNumberCore(rest);
    const fenValue = fen === '' ? 0 : parseNumberCore(fen);
    if (jiao === null || fenValue === null || jiao > 9 || fenValue > 9) return null;
    return roundFloat(yuan + jiao / 10 + fenValue / 100);
  }
  const j = JIAO_RE.exec(s);
  if (j) {
    const jiao = parseNumberCore(j[1]!);
    const fen = j[2] ? parseNumberCore(j[2]) : 0;
    if (jiao === null || fen === null || jiao > 9 || fen > 9) return null;
    return roundFloat(jiao / 10 + fen / 100);
  }
  return null;
}

/**
 * Parses a whole numeral phrase: "三百五十" → 350, "两千零五" → 2005, "一万二" → 12000, "1.2万" → 12000,
 * "二零二四" → 2024, "三点五" → 3.5, and money phrases "三块五" → 3.5, "五毛" → 0.5. Returns null when the
 * string is not (only) a number.
 */
export function parseChineseNumber(s: string): number | null {
  const text = s.trim().replace(/,/g, '');
  if (text === '') return null;
  if (/[块元圆塊圓毛角]/.test(text)) return parseMoney(text);
  const percent = /^百分之(.+)$/.exec(text);
  if (percent) {
    const n = parseNumberCore(percent[1]!);
    return n === null ? null : roundFloat(n / 100);
  }
  return parseNumberCore(text);
}

// ---------------------------------------------------------------------------------------------------
// Rewriting numerals inside text.

const RUN_CHARS = new Set([...Object.keys(DIGITS), ...Object.keys(SMALL_UNITS), ...Object.keys(BIG_UNITS)]);

/** Measure words and units that make a lone digit a quantity ("三件", "两天", "一号"). */
const MEASURES = [
  '小时',
  '分钟',
  '公斤',
  '千克',
  '厘米',
  '毫米',
  '公分',
  '公里',
  '毫升',
  '星期',
  '礼拜',
  '个',
  '件',
  '块',
  '元',
  '圆',
  '角',
  '毛',
  '分',
  '天',
  '日',
  '号',
  '月',
  '年',
  '周',
  '点',
  '岁',
  '斤',
  '克',
  '米',
  '码',
  '寸',
  '次',
  '台',
  '瓶',
  '箱',
  '盒',
  '包',
  '袋',
  '双',
  '对',
  '套',
  '条',
  '张',
  '本',
  '份',
  '单',
  '位',
  '名',
  '楼',
  '层',
  '栋',
  '折',
  '倍',
  '秒',
  '家',
  '支',
  '只',
  '杯',
  '辆',
  '部',
  '款',
  '度',
  '升',
  '桶',
  '罐',
  '卷',
  '片',
  '颗',
  '粒',
  '间',
  '期',
  '批',
  '笔',
  '遍',
  '趟',
  '%',
];

/** Words where a lone 一 + measure is not a count ("一次性" is still arguably 1, but reads as an adjective). */
const IDIOMS_AFTER_ONE = ['一次性', '一块儿', '一点点', '一个劲', '一天到晚', '一分为二', '一条龙', '一家人'];

/** Characters that bind a following lone digit into a word: 统一, 唯一, 同一, 周一 (weekday), 初一… */
const LEFT_BINDERS = new Set([
  '统',
  '唯',
  '同',
  '专',
  '单',
  '划',
  '逐',
  '归',
  '合',
  '万',
  '周',
  '期',
  '拜',
  '初',
  '老',
  '小',
  '星',
]);

const TIME_OF_DAY = [
  '上午',
  '下午',
  '中午',
  '晚上',
  '凌晨',
  '早上',
  '今晚',
  '明晚',
  '昨晚',
  '夜里',
  '傍晚',
  '早晨',
  '点到',
];

function startsWithMeasure(text: string, at: number): boolean {
  return MEASURES.some((m) => text.startsWith(m, at));
}

function isUnitChar(c: string): boolean {
  return c in SMALL_UNITS || c in BIG_UNITS;
}

/** Whether "一点" at `start` is the hour one o'clock rather than "a little" (便宜一点). */
function isOneOClock(text: string, start: number): boolean {
  const after = text.slice(start + 2, start + 4);
  if (/^[半钟零0-9一二三四五六七八九十]/.test(after)) return true;
  if (/^(左右|之前|以前|以后|之后|前|后|到|至)/.test(after)) return true;
  const before = text.slice(Math.max(0, start - 4), start);
  return TIME_OF_DAY.some((w) => before.includes(w));
}

function formatNumber(n: number): string {
  return String(n);
}

/** Two adjacent consecutive digits are an estimate ("三四天" = three or four days), never a number. */
function isApproximatePair(run: string): boolean {
  if (run.length !== 2) return false;
  const a = DIGITS[run[0]!];
  const b = DIGITS[run[1]!];
  return a !== undefined && b !== undefined && b - a === 1;
}

function convertRun(text: string, start: number, end: number): string | null {
  const run = text.slice(start, end);
  const next = text[end] ?? '';
  const prev = text[start - 1] ?? '';
  if (next === '几' || prev === '几') return null;
  if (/[两兩]/.test(run) && run.length > 1 && ![...run].some(isUnitChar)) return null;

  const hasUnits = [...run].some(isUnitChar);
  if (!hasUnits) {
    if (run.length === 1) {
      if (prev === '第') return formatNumber(DIGITS[run]!);
      if (LEFT_BINDERS.has(prev)) return null;
      if (!startsWithMeasure(text, end)) return null;
      if ((run === '一' || run === '壹') && IDIOMS_AFTER_ONE.some((w) => text.startsWith(w, start)))
        return null;
      if (run === '一' && next === '点' && !isOneOClock(text, start)) return null;
      if (run === '一' && next === '分' && !/^分(钟|钱)/.test(text.slice(end, end + 2))) return null;
      return formatNumber(DIGITS[run]!);
    }
    if (run.length === 2) {
      if (isApproximatePair(run) || run[0] === run[1]) return null;
      if (!startsWithMeasure(text, end) && prev !== '第') return null;
    }
    const n = parseDigitSequence(run);
    // Keep leading zeros of spelled-out codes ("零八六" → "086").
    return n === null ? null : [...run].map((c) => String(DIGITS[c] ?? c)).join('');
  }
  // "十分满意" means "very": only a clock minute (三点十分) or duration (十分钟) is a number.
  if (run === '十' && next === '分' && prev !== '点' && text[end + 1] !== '钟') return null;
  if (run === '十' && !startsWithMeasure(text, end) && prev !== '第' && prev !== '点') return null;
  const n = parseChineseNumber(run);
  // "三四十" style estimates and idioms ("一五一十") do not parse and stay as written.
  return n === null ? null : formatNumber(n);
}

/**
 * Rewrites numeral runs inside text as Arabic digits: "三百五十块" → "350块", "一万二" → "12000",
 * "1.2万" → "12000", "百分之五十" → "50%", "三点五公斤" → "3.5公斤". Words that only contain a numeral
 * character (一下, 一起, 统一, 万一, 千万不要, 十分满意, 三四天, 便宜一点) are left alone.
 */
export function replaceChineseNumerals(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const isArabic = c >= '0' && c <= '9';
    if (!RUN_CHARS.has(c) && !isArabic) {
      out += c;
      i++;
      continue;
    }
    // Leading big/small units other than 十 cannot start a number (万一, 千万, 百分之).
    if (!isArabic && isUnitChar(c) && c !== '十' && c !== '拾') {
      if (c === '百' && text.startsWith('百分之', i)) {
        const m = /^百分之([零〇一二两三四五六七八九十百点\d.]+)/.exec(text.slice(i));
        const n = m ? parseNumberCore(m[1]!) : null;
        if (m && n !== null) {
          out += `${formatNumber(n)}%`;
          i += m[0].length;
          continue;
        }
      }
      out += c;
      i++;
      continue;
    }
    let end = i;
    while (end < text.length) {
      const ch = text[end]!;
      if (RUN_CHARS.has(ch) || (ch >= '0' && ch <= '9')) {
        end++;
        continue;
      }
      // A decimal point inside Arabic digits ("1.2万").
      if (ch === '.' && end > i && /\d/.test(text[end - 1]!) && /\d/.test(text[end + 1] ?? '')) {
        end++;
        continue;
      }
      break;
    }
    // 千克/千米/千瓦 are units, not "thousand".
    if (end - i > 1 && /[千仟]/.test(text[end - 1]!) && /[克米瓦卡]/.test(text[end] ?? '')) end--;
    const run = text.slice(i, end);
    if (/^[\d.]+$/.test(run)) {
      out += run;
      i = end;
      continue;
    }
    let converted = convertRun(text, i, end);
    let consumed = end;
    // Decimal: "三点五公斤" → 3.5; "三点零五" and "三点五十" are clock times and stay "3点…".
    if (converted !== null && text[end] === '点' && !/[点.]/.test(converted)) {
      const fraction = /^[一二三四五六七八九]+/.exec(text.slice(end + 1))?.[0];
      const after = text[end + 1 + (fraction?.length ?? 0)] ?? '';
      if (fraction && !isUnitChar(after) && after !== '分' && after !== '钟') {
        const digits = [...fraction].map((d) => String(DIGITS[d])).join('');
        converted = `${converted}.${digits}`;
        consumed = end + 1 + fraction.length;
      }
    }
    if (converted === null) {
      out += run;
    } else {
      out += converted;
    }
    i = consumed;
  }
  return out;
}
