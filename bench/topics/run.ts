// Topic mining on messages with known topics, and its speed.
//   npx tsx bench/topics/run.ts            (public sets from ../shared/datasets, or $ZHIKE_DATASETS)
// Prints cluster purity, NMI, coverage and the number of topics found (never given to the engine) for
// the hand-written corpora in packages/nlu/src/topics/fixtures and for the labelled public test sets, then
// the time to mine ~20,000 messages (public training texts), with and without scoring their sentiment.
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { analyseSentiment, clusterQuality, mineTopics, parseJsonl } from '@zhike/nlu';
import { readTopicCorpus } from '../../packages/nlu/src/topics/fixtures/corpus.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const datasets = process.env.ZHIKE_DATASETS ?? `${repoRoot}../shared/datasets`;

interface Labelled {
  text: string;
  label: string;
}

function report(name: string, corpus: readonly Labelled[]): void {
  const started = performance.now();
  const model = mineTopics(corpus.map((m, i) => ({ id: String(i), text: m.text })));
  const ms = performance.now() - started;
  const q = clusterQuality(
    corpus.map((m) => m.label),
    model.assignment,
  );
  console.log(
    `| ${name} | ${corpus.length} | ${q.labels} | ${q.clusters} | ${q.purity.toFixed(3)} | ${q.nmi.toFixed(3)} | ` +
      `${(q.coverage * 100).toFixed(1)} % | ${ms.toFixed(0)} ms |`,
  );
}

const publicSet = (name: string, split: string): Labelled[] | null => {
  const path = `${datasets}/${name}/${split}.jsonl`;
  return existsSync(path) ? parseJsonl(readFileSync(path, 'utf8'), path) : null;
};

console.log(`load average ${loadavg()[0]!.toFixed(1)}`);
console.log('| corpus | messages | labels | topics found | purity | NMI | coverage | time |');
console.log('|---|---|---|---|---|---|---|---|');
const zh = readTopicCorpus('zh');
const en = readTopicCorpus('en');
report('fixture zh (10 topics)', zh);
report('fixture zh-dev (14 topics, uneven)', readTopicCorpus('zh-dev'));
// Never tuned on: see the fixtures' README.
report('fixture zh-heldout (12 topics)', readTopicCorpus('zh-heldout'));
report('fixture en (6 topics)', en);
report('fixture zh + en', [...zh, ...en]);
for (const name of ['smp2017-ecdt', 'banking77']) {
  const test = publicSet(name, 'test');
  if (test) report(`${name} test`, test);
}

const big = [
  ...(publicSet('waimai10k-sentiment', 'train') ?? []),
  ...(publicSet('banking77', 'train') ?? []),
  ...(publicSet('smp2017-ecdt', 'train') ?? []),
].slice(0, 20_000);
if (big.length > 0) {
  const messages = big.map((m, i) => ({ id: String(i), text: m.text }));
  for (let round = 0; round < 3; round++) {
    let started = performance.now();
    const cpu = process.cpuUsage();
    const model = mineTopics(messages);
    const mining = performance.now() - started;
    const used = process.cpuUsage(cpu);
    started = performance.now();
    for (const m of messages) analyseSentiment(m.text);
    const sentiment = performance.now() - started;
    console.log(
      `${messages.length} messages: mined in ${(mining / 1000).toFixed(2)} s ` +
        `(${((used.user + used.system) / 1e6).toFixed(2)} s of CPU; ${model.topics.length} topics, ` +
        `${((model.clustered / model.messages) * 100).toFixed(0)} % clustered); sentiment of all ${(sentiment / 1000).toFixed(2)} s; ` +
        `load ${loadavg()[0]!.toFixed(1)}`,
    );
  }
}
