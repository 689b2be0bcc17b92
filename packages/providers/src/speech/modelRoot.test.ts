import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelDirProblem } from './modelRoot.ts';

describe('modelDirProblem', () => {
  const base = mkdtempSync(join(tmpdir(), 'zhike-models-'));
  const root = join(base, 'models');
  mkdirSync(join(root, 'sense-voice'), { recursive: true });
  mkdirSync(join(base, 'elsewhere'));
  symlinkSync(join(base, 'elsewhere'), join(root, 'escape'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('takes directories inside the root, existing or not yet', () => {
    expect(modelDirProblem(root, join(root, 'sense-voice'))).toBeUndefined();
    expect(modelDirProblem(root, join(root, 'not-yet-copied'))).toBeUndefined();
    expect(modelDirProblem(root, root)).toBeUndefined();
  });

  it('refuses paths outside it, by their words and through symbolic links', () => {
    expect(modelDirProblem(root, '/etc')).toMatch(/inside the speech models directory/);
    expect(modelDirProblem(root, join(root, '..', 'elsewhere'))).toMatch(/inside/);
    expect(modelDirProblem(root, `${root}-sibling`)).toMatch(/inside/);
    expect(modelDirProblem(root, join(root, 'escape'))).toMatch(/inside/);
    expect(modelDirProblem(root, 'models/sense-voice')).toMatch(/absolute/);
  });

  it('leaves any absolute path to tools that set no root', () => {
    expect(modelDirProblem(undefined, '/opt/models/sense-voice')).toBeUndefined();
  });
});
