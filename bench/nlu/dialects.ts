// Intent accuracy of the retail template on Mandarin, Cantonese and Sichuanese test messages: the bot
// compiled from templates/retail/zh-CN.json (trained on its Mandarin examples only, as every shop's bot is),
// each line the first message of a fresh conversation, scored as `npm run bench:bot` scores it.
//   npx tsx bench/nlu/dialects.ts [--json]
// Run with `--import ./bench/nlu/no-dialect.mjs` it measures the same without dialect normalisation.
import { readFileSync } from 'node:fs';
import { type BotPorts, type BotTemplate, compileBot, type TurnResult } from '@zhike/bot';

const templatesDir = new URL('../../templates/', import.meta.url);

export const DIALECT_SUITES = [
  { name: 'Mandarin', file: 'tests.zh-CN.jsonl' },
  { name: 'Cantonese', file: 'tests.yue.jsonl' },
  { name: 'Sichuanese', file: 'tests.sichuan.jsonl' },
] as const;

export type SuiteName = (typeof DIALECT_SUITES)[number]['name'];

export interface SuiteLine {
  text: string;
  expect: string;
}

export interface SuiteScore {
  name: SuiteName;
  lines: number;
  correct: number;
  accuracy: number;
  /** Lines answered wrongly: text, expected target, what the bot understood. */
  misses: { text: string; expect: string; got: string | null }[];
}

const ports: BotPorts = {
  lookupOrder: async () => null,
  lookupTickets: async () => ({ tickets: [], more: 0, timeZone: 'Asia/Shanghai' }),
  createTicket: async () => ({ number: 'T-0001' }),
  createCallback: async () => ({ number: 'C-0001' }),
};

export function readSuite(industry: string, file: string): SuiteLine[] {
  return readFileSync(new URL(`${industry}/${file}`, templatesDir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as SuiteLine);
}

/** Right target, or for out-of-scope lines: no answer from the knowledge base (as bench/bot/run.ts). */
function correct(line: SuiteLine, result: TurnResult): boolean {
  if (line.expect === 'oos') return result.understanding.intent === null || result.handoff !== null;
  return result.understanding.intent === line.expect;
}

export async function scoreDialectSuites(industry = 'retail'): Promise<SuiteScore[]> {
  const template = JSON.parse(
    readFileSync(new URL(`${industry}/zh-CN.json`, templatesDir), 'utf8'),
  ) as BotTemplate;
  const bot = compileBot({ template });
  const scores: SuiteScore[] = [];
  for (const suite of DIALECT_SUITES) {
    const lines = readSuite(industry, suite.file);
    const misses: SuiteScore['misses'] = [];
    for (const line of lines) {
      const result = await bot.turn(
        null,
        { text: line.text, now: new Date(), customer: { id: 'bench' } },
        ports,
      );
      if (!correct(line, result)) misses.push({ ...line, got: result.understanding.intent });
    }
    const right = lines.length - misses.length;
    scores.push({
      name: suite.name,
      lines: lines.length,
      correct: right,
      accuracy: right / lines.length,
      misses,
    });
  }
  return scores;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const scores = await scoreDialectSuites();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(scores)}\n`);
  else
    for (const s of scores) {
      process.stdout.write(
        `${s.name.padEnd(11)} ${(s.accuracy * 100).toFixed(1)} % (${s.correct}/${s.lines})\n`,
      );
      for (const m of s.misses) process.stdout.write(`    ${m.expect} ← ${m.got}   ${m.text}\n`);
    }
}
