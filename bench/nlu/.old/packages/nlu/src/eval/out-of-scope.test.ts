import { describe, expect, it } from 'vitest';
import type { IntentModel, IntentPrediction } from '../intent/model.ts';
import { buildOutOfScopeSplit, measureOutOfScope } from './out-of-scope.ts';

const train = ['a', 'b', 'c', 'd', 'e'].flatMap((label) =>
  [1, 2].map((i) => ({ text: `${label}-train-${i}`, label })),
);
const test = ['a', 'b', 'c', 'd', 'e'].map((label) => ({ text: `${label}-test`, label }));

describe('buildOutOfScopeSplit', () => {
  const split = buildOutOfScopeSplit(train, test, {
    unseen: (_, label) => label === 'b',
    explicitOos: (_, label) => label === 'b' || label === 'd',
    offDomainTrain: ['chatter-train'],
    offDomainTest: ['chatter-test'],
  });

  it('never trains on unseen intents, relabels explicit ones as oos, adds off-domain train lines', () => {
    expect(split.train.some((e) => e.text.startsWith('b-'))).toBe(false);
    expect(split.train.filter((e) => e.label === 'oos').map((e) => e.text)).toEqual([
      'd-train-1',
      'd-train-2',
      'chatter-train',
    ]);
    expect(split.unseenIntents).toEqual(['b']);
    // An intent chosen by both predicates stays unseen: it must not leak into training.
    expect(split.explicitOosIntents).toEqual(['d']);
  });

  it('tests in-scope intents, unseen intents as near-domain and off-domain text separately', () => {
    expect(split.inScopeTest.map((e) => e.label)).toEqual(['a', 'c', 'e']);
    expect(split.nearTest).toEqual(['b-test']);
    expect(split.offTest).toEqual(['chatter-test']);
  });

  it('measures loss against the best-ranked intent and recall per kind', () => {
    // A fake model: rejects everything starting with "b" or "chatter", and "e" (a false rejection).
    const model = {
      classify(text: string): IntentPrediction {
        const label = text.split('-')[0]!;
        const rejected = label === 'b' || label === 'chatter' || label === 'e';
        return {
          intent: rejected ? null : label,
          confidence: 1,
          ranking: [{ intent: label, confidence: 1 }],
        };
      },
    } as unknown as IntentModel;
    const r = measureOutOfScope(model, split);
    expect(r.inScopeAccuracyWithoutDetection).toBe(1);
    expect(r.inScopeAccuracy).toBeCloseTo(2 / 3);
    expect(r.inScopeLoss).toBeCloseTo(1 / 3);
    expect(r.nearRecall).toBe(1);
    expect(r.offRecall).toBe(1);
    expect(r.precision).toBeCloseTo(2 / 3);
  });
});
