// The console bundles only the contracts' protocol module: values from '@zhike/contracts' itself would
// drag the schema library into the browser. Types are free (they vanish at build time).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );

describe('contracts imports', () => {
  it('takes values only from @zhike/contracts/protocol', () => {
    const offenders = sources(root).filter((file) =>
      [...readFileSync(file, 'utf8').matchAll(/import\s+(type\s+)?[^;]*?from\s+'@zhike\/contracts'/g)].some(
        (m) => !m[1],
      ),
    );
    expect(offenders.map((f) => f.slice(root.length))).toEqual([]);
  });
});
