// Where embedded speech models may be loaded from. In a hosted Zhike a workspace admin types the model
// directory into the speech settings; without a fence that field would let one tenant make the server open
// any path (and learn from the error whether it exists). The operator names one root
// (ZHIKE_SPEECH_MODELS_DIR); a model directory must lie inside it, checked on the words of the path first
// (nothing outside is touched) and again after symbolic links are resolved.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/** Why a model directory is refused, or undefined when it lies inside the root (or no root is set). */
export function modelDirProblem(root: string | undefined, dir: string): string | undefined {
  if (root === undefined) return undefined;
  if (!isAbsolute(dir)) return 'must be an absolute path';
  const inside = (base: string, path: string) => {
    const rel = relative(base, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  const base = resolve(root);
  if (!inside(base, resolve(dir))) return `must lie inside the speech models directory ${base}`;
  let realBase: string;
  let realDir: string;
  try {
    realBase = realpathSync(base);
    realDir = realpathSync(resolve(dir));
  } catch {
    // Not there (yet): loading it will say so; nothing outside the root was looked at.
    return undefined;
  }
  return inside(realBase, realDir) ? undefined : `must lie inside the speech models directory ${base}`;
}
