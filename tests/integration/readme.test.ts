// The README is part of the product: its configuration table must list exactly the variables the server reads.
import { readFileSync } from 'node:fs';
import { configVars } from '@zhike/server';
import { expect, it } from 'vitest';
import { repoRoot } from '../support/serverProcess.ts';

it('documents every configuration variable, and only those', () => {
  const readme = readFileSync(`${repoRoot}/README.md`, 'utf8');
  const section = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5),
  );
  const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual(configVars.map((v) => v.name).sort());
});

it('states the two commands a new user runs', () => {
  const readme = readFileSync(`${repoRoot}/README.md`, 'utf8');
  expect(readme).toContain('npm install && npm start');
  expect(readme).toContain('npm test');
});
