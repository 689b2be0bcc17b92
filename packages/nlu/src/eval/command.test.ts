import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEvalCommand } from './command.ts';
import { scoreClassification } from './metrics.ts';

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s: string) => (out.stdout += s), stderr: (s: string) => (out.stderr += s) } };
}

const dir = mkdtempSync(join(tmpdir(), 'zhike-eval-'));
const lines = (rows: [string, string][]) =>
  rows.map(([text, label]) => JSON.stringify({ text, label })).join('\n');
const trainPath = join(dir, 'train.jsonl');
const testPath = join(dir, 'test.jsonl');
writeFileSync(
  trainPath,
  lines([
    ['我想退款', 'refund'],
    ['怎么退款', 'refund'],
    ['退款多久到', 'refund'],
    ['快递到哪了', 'track'],
    ['查物流', 'track'],
    ['包裹什么时候到', 'track'],
    ['讲个笑话', 'oos'],
    ['今天天气', 'oos'],
  ]),
);
writeFileSync(
  testPath,
  lines([
    ['请问怎么退款', 'refund'],
    ['我的快递呢', 'track'],
    ['唱首歌', 'oos'],
  ]),
);

describe('runEvalCommand', () => {
  it('prints one JSON object with --json', async () => {
    const { out, io } = capture();
    expect(await runEvalCommand(['--train', trainPath, '--test', testPath, '--json'], io)).toBe(0);
    const report = JSON.parse(out.stdout);
    for (const key of [
      'accuracy',
      'macroF1',
      'inScopeAccuracy',
      'oos',
      'trainMs',
      'classifyPerSec',
      'perLabel',
      'confusions',
    ]) {
      expect(report).toHaveProperty(key);
    }
    expect(report.perLabel.refund.support).toBe(1);
    expect(out.stdout.trim().split('\n')).toHaveLength(1);
  });
  it('prints a readable table without --json', async () => {
    const { out, io } = capture();
    expect(await runEvalCommand(['--train', trainPath, '--test', testPath], io)).toBe(0);
    expect(out.stdout).toMatch(/accuracy/);
    expect(out.stdout).toMatch(/refund/);
  });
  it('exits 2 on missing arguments', async () => {
    const { out, io } = capture();
    expect(await runEvalCommand(['--train', trainPath], io)).toBe(2);
    expect(out.stderr).toMatch(/missing --test/);
  });
  it('exits 2 on a missing file', async () => {
    const { out, io } = capture();
    expect(await runEvalCommand(['--train', join(dir, 'nope.jsonl'), '--test', testPath], io)).toBe(2);
    expect(out.stderr).toMatch(/not found/);
  });
  it('exits 2 with the line number of a bad JSON line', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${lines([['a', 'x']])}\n{oops\n`);
    const { out, io } = capture();
    expect(await runEvalCommand(['--train', bad, '--test', testPath], io)).toBe(2);
    expect(out.stderr).toMatch(/bad\.jsonl:2/);
  });
});

describe('runEvalCommand on dialect test files', () => {
  // A Mandarin-trained model on Cantonese and Sichuanese lines in the templates' format ({"text", "expect"}):
  // the command reads them through the same normaliser as live messages, so the dialect is read in Mandarin.
  const dialectPath = join(dir, 'dialect.jsonl');
  writeFileSync(
    dialectPath,
    [
      ['點樣退款', 'refund'],
      ['我想退錢，唔該', 'refund'],
      ['我個包裹喺邊度', 'track'],
      ['啥子时候退款嘛', 'refund'],
      ['包裹咋个还没到', 'track'],
    ]
      .map(([text, expect]) => JSON.stringify({ text, expect }))
      .join('\n'),
  );

  it('classifies them with the Mandarin model and counts the lines it read as dialect', async () => {
    const { out, io } = capture();
    expect(await runEvalCommand(['--train', trainPath, '--test', dialectPath, '--json'], io)).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.dialectLines).toEqual({ yue: 3, sichuan: 2 });
    // Eight training lines: most, not all, of the dialect lines land.
    expect(report.accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('trains on an industry template and evaluates its Cantonese suite', async () => {
    const root = new URL('../../../../templates/retail/', import.meta.url).pathname;
    const { out, io } = capture();
    const code = await runEvalCommand(
      ['--train', `${root}zh-CN.json`, '--test', `${root}tests.yue.jsonl`, '--json'],
      io,
    );
    expect(code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.dialectLines.yue).toBeGreaterThan(90);
    // The classifier alone (no retrieval, no generic out-of-scope lines): in-scope lines.
    expect(report.inScopeAccuracy).toBeGreaterThan(0.85);
    expect(report.perLabel.order_status.support).toBeGreaterThan(0);
  }, 60_000);

  it('exits 2 on a JSON file that is not a template', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"name": "x"}');
    const { out, io } = capture();
    expect(await runEvalCommand(['--train', bad, '--test', testPath], io)).toBe(2);
    expect(out.stderr).toMatch(/expected a template/);
  });
});

describe('scoreClassification', () => {
  it('computes accuracy, per-label metrics, oos and confusions', () => {
    const r = scoreClassification(['a', 'a', 'b', 'oos'], ['a', 'b', 'b', null]);
    expect(r.accuracy).toBe(0.75);
    expect(r.inScopeAccuracy).toBeCloseTo(2 / 3);
    expect(r.oos).toEqual({ precision: 1, recall: 1 });
    expect(r.perLabel.b).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(r.confusions).toEqual([['a', 'b', 1]]);
  });
  it('reports oos as null when the test set has none', () => {
    expect(scoreClassification(['a'], ['a']).oos).toBeNull();
  });
});
