// @zhike/nlu public surface. Each component is importable alone; lines are grouped by owner module.
export { type NormaliseOptions, normalise } from './normalise/index.ts';
export { createTokeniser, type Tokeniser, type TokeniserOptions } from './tokenise/index.ts';
