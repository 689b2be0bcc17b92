import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const hasWat2wasm = (() => {
  try {
    execFileSync('wat2wasm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('scorerWasm.ts', () => {
  // CI installs wabt; elsewhere the check is skipped (the bytes are committed, nothing is built).
  it.runIf(hasWat2wasm)('holds what scorer.wat assembles to', () => {
    const script = fileURLToPath(new URL('../../../../scripts/wasm.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
