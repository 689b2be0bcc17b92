// Zhike's version, from the root package.json. This file sits as deep as the bundle that inlines it
// (apps/server/dist/zhike.mjs), so the same relative path finds the file from source and from the bundle.
import { readFileSync } from 'node:fs';

export function zhikeVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
