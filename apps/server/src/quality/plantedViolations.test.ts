// Issue 12's acceptance check for quality inspection, with the real NLU and the default zh-CN ruleset:
// on a hand-written fixture every planted violation is flagged (and nothing else on those cases), and
// under 5 % of the clean conversations and calls get any flag. Prints the numbers the README quotes.
import { defaultQualityRuleset, scoreTranscript } from '@zhike/core';
import { describe, expect, it } from 'vitest';
import { cleanCases, plantedCases } from './fixture.ts';
import { createTextAnalysis } from './textAnalysis.ts';

describe('quality inspection on a fixture with planted violations', () => {
  const ruleset = defaultQualityRuleset();
  const analysis = createTextAnalysis();
  const broken = (c: (typeof cleanCases)[number]) =>
    scoreTranscript(c.transcript, ruleset, analysis)
      .violations.map((v) => v.ruleId)
      .sort();

  it('flags every planted violation and nothing else on those cases', () => {
    const planted = plantedCases.reduce((n, c) => n + c.breaks.length, 0);
    const found = plantedCases.reduce(
      (n, c) => n + c.breaks.filter((id) => broken(c).includes(id)).length,
      0,
    );
    console.log(
      `quality fixture: ${found}/${planted} planted violations flagged in ${plantedCases.length} cases`,
    );
    expect(plantedCases.map((c) => [c.name, broken(c)])).toEqual(
      plantedCases.map((c) => [c.name, [...c.breaks].sort()]),
    );
  });

  it('leaves under 5 % of the clean cases with any flag', () => {
    const flagged = cleanCases.filter((c) => broken(c).length > 0);
    console.log(
      `quality fixture: ${flagged.length}/${cleanCases.length} clean cases flagged` +
        (flagged.length ? ` (${flagged.map((c) => `${c.name}: ${broken(c).join(',')}`).join('; ')})` : ''),
    );
    expect(flagged.length / cleanCases.length).toBeLessThan(0.05);
  });
});
