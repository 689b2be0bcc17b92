// Bundles the widget into one small IIFE for the <script> tag: `node build.mjs [--outfile path]`.
import { build } from 'esbuild';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--outfile');
const outfile = outIndex >= 0 ? args[outIndex + 1] : new URL('./dist/widget.js', import.meta.url).pathname;

const result = await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  format: 'iife',
  minify: true,
  sourcemap: false,
  target: ['es2019', 'chrome80', 'edge80', 'firefox78', 'safari15'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

// Type-only imports vanish; values come from @zhike/contracts/protocol, the one contracts module without
// the schema library. Anything else from the contracts (or any dependency) would be a leak.
const inputs = Object.keys(result.metafile.inputs);
const leaked = inputs.filter(
  (path) =>
    path.includes('node_modules') ||
    (path.includes('packages/contracts') && !path.endsWith('packages/contracts/src/protocol.ts')),
);
if (leaked.length > 0) {
  console.error(`widget bundle must not include: ${leaked.join(', ')}`);
  process.exit(1);
}
