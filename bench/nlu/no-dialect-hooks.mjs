// Module resolution hook for ./no-dialect.mjs.
const EMPTY = new URL('./empty-lexicon.json', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.endsWith('/packages/nlu/src/dialect/lexicon.json')) return { ...resolved, url: EMPTY };
  return resolved;
}
