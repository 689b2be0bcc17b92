// Leave-one-set-out cross-validation of the hand-off model over the routing tuning sets, through the
// product's own path (the retail template compiled by compileBot, the bot's turn, the seeded rules):
//   npx tsx bench/routing/cv.ts [--weights 0.6,0.8,1] [--misses]
// For each tuning set (dev, dev2, dev3) the bot is compiled with the template's hand-off examples minus
// that set's lines (templates/retail/escalation.zh-CN.jsonl names each line's source) and routes the set;
// "rules only" compiles it with no hand-off examples. Prints accuracy (target + band) per set and the
// mean per rule weight: how HANDOFF_RULE_WEIGHT was chosen. The held-out replay sets are not read here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileBot, type HandoffExample } from '@zhike/bot';
import { loadTemplate } from '../../apps/server/src/bot/templateFiles.ts';
import { loadReplaySet } from './replay.ts';
import { openBenchShop } from './shop.ts';

const TUNING = ['dev', 'dev2', 'dev3'] as const;
const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));
const weightsArg = process.argv.indexOf('--weights');
const weights =
  weightsArg === -1 ? [0.4, 0.6, 0.8, 1] : (process.argv[weightsArg + 1] ?? '').split(',').map(Number);
if (weights.length === 0 || weights.some((w) => !Number.isFinite(w) || w < 0))
  throw new Error('--weights takes non-negative numbers separated by commas');

// `--misses`: the tuning sets' lines the bot misroutes with a model, to read while tuning.
const showMisses = process.argv.includes('--misses');
const misses: string[] = [];

interface SourcedExample extends HandoffExample {
  source: string;
}

// Each line names its source, so a tuning set's own lines can be left out (templates.test.ts checks them).
const examples = readFileSync(`${templatesDir}retail/escalation.zh-CN.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as SourcedExample);

const shop = await openBenchShop();
try {
  const template = await loadTemplate(templatesDir, 'retail', 'zh-CN');
  const header = ['| rule weight', ...TUNING, 'mean', 'right queue, wrong band |'].join(' | ');
  const rows = [header, `|${' --- |'.repeat(TUNING.length + 3)}`];
  const variants: { name: string; weight: number; withModel: boolean }[] = [
    { name: 'rules only', weight: 1, withModel: false },
    ...weights.map((w) => ({ name: String(w), weight: w, withModel: true })),
  ];
  for (const variant of variants) {
    const accuracies: number[] = [];
    const bandMisses: number[] = [];
    for (const set of TUNING) {
      const lines = loadReplaySet(new URL(`./${set}.zh-CN.jsonl`, import.meta.url).pathname);
      const training = variant.withModel
        ? examples.filter((e) => !e.source.startsWith(`${set}:`)).map(({ text, label }) => ({ text, label }))
        : [];
      const bot = compileBot({
        template: { ...template, escalation: training },
        variables: shop.settings.variables,
        ...(shop.settings.orderNumberPattern ? { orderNumberPattern: shop.settings.orderNumberPattern } : {}),
        decision: { handoffRuleWeight: variant.weight },
      });
      let right = 0;
      let bandOnly = 0;
      for (const line of lines) {
        const routed = await shop.route(line, shop.profileOf(line), bot);
        if (routed.target === line.expect.target && routed.band === line.expect.band) right++;
        else if (routed.target === line.expect.target) bandOnly++;
        if (
          showMisses &&
          variant.withModel &&
          (routed.target !== line.expect.target || routed.band !== line.expect.band)
        )
          misses.push(
            `- ${line.id} ${line.expect.target}/${line.expect.band} → ${routed.target}/${routed.band}: ${line.text}`,
          );
      }
      accuracies.push(right / lines.length);
      bandMisses.push(bandOnly);
    }
    const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    const cells = accuracies.map((a) => `${(a * 100).toFixed(1)} %`);
    rows.push(
      `| ${variant.name} | ${cells.join(' | ')} | ${(mean * 100).toFixed(2)} % | ${bandMisses.join(' / ')} |`,
    );
    process.stdout.write(`${rows.at(-1)}\n`);
  }
  process.stdout.write(`\n${rows.join('\n')}\n`);
  if (showMisses)
    process.stdout.write(`\nMisrouted with a model (expected → routed):\n${misses.join('\n')}\n`);
} finally {
  await shop.app.close();
}
