// Reads a survey score (1–5) from what the customer keyed or said: "4", "4#", "五分", "打五分", "两分",
// "five", "4 stars". Anything else is no answer, so the call asks again instead of guessing.
const CHINESE: Record<string, number> = {
  一: 1,
  壹: 1,
  二: 2,
  两: 2,
  贰: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
};
const ENGLISH: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };
// Verdicts instead of numbers, longest first so 非常不满意 is not read as 满意.
const VERDICTS: [string, number][] = [
  ['非常不满意', 1],
  ['很不满意', 1],
  ['不太满意', 2],
  ['不满意', 2],
  ['非常满意', 5],
  ['很满意', 5],
  ['十分满意', 5],
  ['比较满意', 4],
  ['满意', 4],
  ['一般', 3],
  ['还行', 3],
  ['very dissatisfied', 1],
  ['dissatisfied', 2],
  ['very satisfied', 5],
  ['satisfied', 4],
];

export function surveyScore(input: { digits?: string; speech?: string }): number | null {
  if (input.digits !== undefined) {
    const digits = input.digits.replace(/#$/, '');
    return /^[1-5]$/.test(digits) ? Number(digits) : null;
  }
  const text = (input.speech ?? '').normalize('NFKC').toLowerCase().trim();
  if (!text) return null;
  const verdict = VERDICTS.find(([phrase]) => text.includes(phrase));
  if (verdict && !/[\d一二两三四五壹贰叁肆伍]分/.test(text)) return verdict[1];
  const found = new Set<number>();
  for (const m of text.matchAll(/\d+/g)) {
    const n = Number(m[0]);
    if (n >= 1 && n <= 5 && m[0].length === 1) found.add(n);
    else return null;
  }
  for (const [char, n] of Object.entries(CHINESE)) if (text.includes(char)) found.add(n);
  for (const m of text.matchAll(/[a-z]+/g)) {
    const n = ENGLISH[m[0]];
    if (n) found.add(n);
  }
  // "三到四分" or "5, no 4" is not one answer.
  return found.size === 1 ? ([...found][0] ?? null) : null;
}
