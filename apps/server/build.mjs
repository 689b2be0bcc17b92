// Bundles the `zhike` command (apps/cli, with this server) into one ES module, so a process starts on plain Node:
// through tsx's loader hooks every one of ~1,500 modules costs a round trip to the hooks thread, and a
// server took ~4 s of CPU to import before it did anything. Dependencies stay external (Node loads them
// from node_modules as usual); only the workspace's own TypeScript is bundled. `node build.mjs`.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const here = (path) => new URL(path, import.meta.url).pathname;

await build({
  entryPoints: [here('../cli/src/main.ts')],
  // Here, not in apps/cli: Node resolves the server's own unhoisted dependencies (apps/server/node_modules)
  // from this directory, and dist/ sits as deep as src/, so app.ts's `../../../` is still the repo root.
  outfile: here('./dist/zhike.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-dependencies',
      setup(b) {
        // Bare specifiers are dependencies, except the workspace's own packages.
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@zhike/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});

// Files the bundled code reads next to itself (`new URL('./x', import.meta.url)`).
mkdirSync(here('./dist'), { recursive: true });
copyFileSync(here('../../packages/nlu/src/sentiment/polarity.zh.json'), here('./dist/polarity.zh.json'));
