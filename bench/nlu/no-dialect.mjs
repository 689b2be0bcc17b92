// `node --import tsx --import ./bench/nlu/no-dialect.mjs …`: the NLU without dialect normalisation, for
// the benchmark's baseline. Swaps the dialect lexicon for an empty one at module resolution, so no code
// path of the engine needs a switch for it.
import { register } from 'node:module';

register('./no-dialect-hooks.mjs', import.meta.url);
