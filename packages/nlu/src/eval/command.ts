// `zhike nlu eval --train TRAIN.jsonl --test TEST.jsonl [--json]`: the CLI passes the args after `nlu eval`.
// TRAIN may be an industry template (templates/retail/zh-CN.json) and TEST one of its suites
// (tests.yue.jsonl): every text goes through the same normaliser as live messages, dialect rewriting included.
import { DatasetError, readJsonl } from './dataset.ts';
import { type EvaluationReport, trainAndEvaluate } from './evaluate.ts';

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE =
  'usage: zhike nlu eval --train TRAIN.jsonl|TEMPLATE.json --test TEST.jsonl [--json]\n' +
  '  JSONL lines: {"text", "label"} or {"text", "expect"}; a template trains on its FAQ questions and intent examples';

interface EvalArgs {
  train: string;
  test: string;
  json: boolean;
}

function parseArgs(argv: readonly string[]): EvalArgs | string {
  let train: string | undefined;
  let test: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--train' || arg === '--test') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return `${arg} needs a file path`;
      if (arg === '--train') train = value;
      else test = value;
      i++;
    } else if (arg.startsWith('--train=')) train = arg.slice(8);
    else if (arg.startsWith('--test=')) test = arg.slice(7);
    else return `unknown argument: ${arg}`;
  }
  if (!train) return 'missing --train';
  if (!test) return 'missing --test';
  return { train, test, json };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

function formatTable(report: EvaluationReport): string {
  const lines = [
    `accuracy           ${pct(report.accuracy)}`,
    `macro F1           ${pct(report.macroF1)}`,
    `in-scope accuracy  ${pct(report.inScopeAccuracy)}`,
    report.oos
      ? `out of scope       precision ${pct(report.oos.precision)}  recall ${pct(report.oos.recall)}`
      : 'out of scope       (no oos lines in test set)',
    `training           ${report.trainMs.toFixed(0)} ms`,
    `classifications/s  ${Math.round(report.classifyPerSec)}`,
    `dialect lines      ${report.dialectLines.yue} Cantonese, ${report.dialectLines.sichuan} Sichuanese (read in Mandarin)`,
    '',
    `${'label'.padEnd(28)}${'precision'.padStart(10)}${'recall'.padStart(10)}${'f1'.padStart(10)}${'support'.padStart(9)}`,
  ];
  for (const [label, m] of Object.entries(report.perLabel)) {
    lines.push(
      `${label.padEnd(28)}${pct(m.precision).padStart(10)}${pct(m.recall).padStart(10)}${pct(m.f1).padStart(10)}${String(m.support).padStart(9)}`,
    );
  }
  if (report.confusions.length > 0) {
    lines.push('', 'most frequent confusions (gold → predicted)');
    for (const [gold, predicted, count] of report.confusions.slice(0, 15)) {
      lines.push(`  ${String(count).padStart(4)}  ${gold} → ${predicted}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Returns the process exit code: 0 ok, 2 usage or input error, 1 unexpected failure. */
export async function runEvalCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`${args}\n${USAGE}\n`);
    return 2;
  }
  try {
    const [train, test] = await Promise.all([readJsonl(args.train), readJsonl(args.test)]);
    const { model: _model, ...report } = trainAndEvaluate(train, test);
    if (args.json) io.stdout(`${JSON.stringify(report)}\n`);
    else io.stdout(formatTable(report));
    return 0;
  } catch (error) {
    if (error instanceof DatasetError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    io.stderr(`nlu eval failed: ${(error as Error).message}\n`);
    return 1;
  }
}
