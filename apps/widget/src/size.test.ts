// The widget loads on every page of a shop; its size budget is a test, not a hope.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const BUDGET_GZIPPED = 30 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'zhike-widget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('widget bundle', () => {
  it(`builds to at most ${BUDGET_GZIPPED} bytes gzipped, without the schema library`, () => {
    const outfile = join(dir, 'widget.js');
    const build = spawnSync(process.execPath, ['build.mjs', '--outfile', outfile], {
      cwd: new URL('..', import.meta.url).pathname,
      encoding: 'utf8',
    });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const code = readFileSync(outfile);
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(`widget.js: ${code.length} bytes raw, ${gzipped} bytes gzipped (budget ${BUDGET_GZIPPED})`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIPPED);
    expect(code.toString('utf8')).not.toMatch(/typebox/i);
    expect(code.toString('utf8')).not.toMatch(/innerHTML|insertAdjacentHTML|outerHTML|document\.write/);
  });
});
