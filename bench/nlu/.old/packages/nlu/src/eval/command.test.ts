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
