// `npm test`: the suite's two lanes side by side, then the real-time audio tests alone (vitest.config.ts
// names the lanes). Vitest 4 ran two projects of one group one after the other when each runs its files
// in a single shared process, so each lane is its own Vitest process here. Extra arguments (file
// filters, `--reporter`) go to every lane. Exits non-zero when any lane failed.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
const extra = process.argv.slice(2);

function lane(project) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [vitest, 'run', '--project', project, '--passWithNoTests', ...extra],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
      },
    );
    // Whole lines, each marked with its lane, so two lanes' output stays readable side by side.
    const relay = (stream, out) => {
      let rest = '';
      stream.on('data', (chunk) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) out.write(`[${project}] ${line}\n`);
      });
      stream.on('end', () => {
        if (rest) out.write(`[${project}] ${rest}\n`);
      });
    };
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const side = await Promise.all([lane('unit'), lane('system')]);
const last = await lane('realtime');
const failed = [...side, last].some((code) => code !== 0);
process.exit(failed ? 1 : 0);
