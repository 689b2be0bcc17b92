// Builds the browser assets the server serves (widget bundle, console SPA), and the server's own bundle
// that `zhike` runs when it is fresh (apps/cli/bin/zhike.mjs).
// `--if-stale` rebuilds a target only when a source file is newer than its last build,
// so `npm start` after `npm install` starts in seconds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ifStale = process.argv.includes('--if-stale');

if (process.env.ZHIKE_SKIP_BUILD === '1') process.exit(0);

const targets = [
  {
    name: 'widget',
    dir: 'apps/widget',
    sources: ['src', 'build.mjs', '../../packages/contracts/src'],
    out: 'dist',
  },
  {
    name: 'server bundle',
    dir: 'apps/server',
    sources: ['src', 'build.mjs', '../cli/src', '../../packages'],
    out: 'dist',
  },
  {
    name: 'console',
    dir: 'apps/console',
    sources: ['src', 'index.html', 'vite.config.ts', '../../packages/contracts/src'],
    out: 'dist',
  },
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

let failed = false;
for (const t of targets) {
  const dir = join(root, t.dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!pkg.scripts?.build) continue;
  const stamp = join(dir, t.out, '.build-stamp');
  const built = existsSync(stamp) ? Number(readFileSync(stamp, 'utf8')) : 0;
  const newest = Math.max(...t.sources.map((s) => newestMtime(join(dir, s))));
  if (ifStale && built >= newest) continue;
  console.log(`[zhike] building ${t.name}…`);
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[zhike] building ${t.name} failed`);
    failed = true;
    continue;
  }
  writeFileSync(stamp, String(Date.now()));
}
process.exit(failed ? 1 : 0);
