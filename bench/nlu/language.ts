// Language-ID accuracy on bench/nlu/language/test.jsonl (public texts and our own customer messages, see its
// README), per language and with what each was taken for.   npx tsx bench/nlu/language.ts
import { readFileSync } from 'node:fs';
import { detectLanguage, LANGUAGES } from '@zhike/nlu';

/** A language, or a variety scored as a class of its own (Sichuanese-flavoured Mandarin). */
export const LANGUAGE_CLASSES = [...LANGUAGES.slice(0, 3), 'sichuan', ...LANGUAGES.slice(3)] as const;
export type LanguageClass = (typeof LANGUAGE_CLASSES)[number];

interface LanguageLine {
  text: string;
  language: string;
  variety?: string;
  source: string;
}

export interface LanguageIdReport {
  lines: number;
  accuracy: number;
  perClass: { label: LanguageClass; lines: number; correct: number; accuracy: number }[];
  /** gold → predicted → count, wrong answers only. */
  confusions: [LanguageClass, LanguageClass, number][];
  /** Expected calibration error over 10 confidence bins: how far confidence is from accuracy. */
  calibrationError: number;
  misses: { text: string; gold: LanguageClass; predicted: LanguageClass; confidence: number }[];
}

export function readLanguageSet(): LanguageLine[] {
  return readFileSync(new URL('./language/test.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LanguageLine);
}

export function measureLanguageId(lines: readonly LanguageLine[] = readLanguageSet()): LanguageIdReport {
  const counts = new Map<LanguageClass, { lines: number; correct: number }>();
  const confusions = new Map<string, number>();
  const misses: LanguageIdReport['misses'] = [];
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const line of lines) {
    const gold = (line.variety ?? line.language) as LanguageClass;
    const guess = detectLanguage(line.text);
    const predicted: LanguageClass = guess.variety ?? guess.language;
    const c = counts.get(gold) ?? { lines: 0, correct: 0 };
    c.lines++;
    const right = predicted === gold;
    if (right) c.correct++;
    else {
      confusions.set(`${gold}\t${predicted}`, (confusions.get(`${gold}\t${predicted}`) ?? 0) + 1);
      misses.push({ text: line.text, gold, predicted, confidence: guess.confidence });
    }
    counts.set(gold, c);
    const bin = bins[Math.min(9, Math.floor(guess.confidence * 10))]!;
    bin.n++;
    bin.confidence += guess.confidence;
    bin.correct += right ? 1 : 0;
  }
  const correct = [...counts.values()].reduce((n, c) => n + c.correct, 0);
  const calibrationError = bins.reduce(
    (sum, b) => sum + (b.n === 0 ? 0 : (b.n / lines.length) * Math.abs(b.correct / b.n - b.confidence / b.n)),
    0,
  );
  return {
    lines: lines.length,
    accuracy: correct / lines.length,
    perClass: LANGUAGE_CLASSES.filter((l) => counts.has(l)).map((label) => {
      const c = counts.get(label)!;
      return { label, ...c, accuracy: c.correct / c.lines };
    }),
    confusions: [...confusions]
      .map(
        ([k, n]) =>
          [...(k.split('\t') as [LanguageClass, LanguageClass]), n] as [LanguageClass, LanguageClass, number],
      )
      .sort((a, b) => b[2] - a[2]),
    calibrationError,
    misses,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = measureLanguageId();
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  process.stdout.write(
    `language ID ${pct(report.accuracy)} of ${report.lines}, calibration error ${report.calibrationError.toFixed(3)}\n`,
  );
  for (const c of report.perClass)
    process.stdout.write(`  ${c.label.padEnd(8)} ${pct(c.accuracy)} (${c.correct}/${c.lines})\n`);
  for (const m of report.misses)
    process.stdout.write(`    ${m.gold} → ${m.predicted} (${m.confidence})  ${m.text.slice(0, 60)}\n`);
}
