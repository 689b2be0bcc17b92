// Language tags as the rest of Zhike passes them ('zh-CN', 'yue', 'zh-HK', 'zh-sichuan', 'en-US'…) looked
// up in per-provider tables (voices, engines): configured entries win over built-in ones, an exact tag wins
// over its family, and Cantonese tags all meet at 'yue' whatever region they name.

/** Keys to try for a tag, most specific first. */
export function languageKeys(language: string): string[] {
  const tag = language.trim().toLowerCase();
  const keys = [tag];
  if (['zh-hk', 'zh-mo', 'zh-yue', 'yue-hk', 'yue-hant'].includes(tag)) keys.push('yue');
  if (['zh-hans', 'zh-hans-cn', 'cmn', 'cmn-cn'].includes(tag)) keys.push('zh-cn');
  const primary = tag.split('-')[0]!;
  const family = primary === 'cmn' ? 'zh' : primary;
  if (!keys.includes(family)) keys.push(family);
  return keys;
}

/** The entry for a language: first from `configured`, then from `builtIn`; undefined when neither has one. */
export function lookupByLanguage<T>(
  language: string | undefined,
  configured: Record<string, T> | undefined,
  builtIn: Record<string, T> = {},
): T | undefined {
  if (!language) return undefined;
  const keys = languageKeys(language);
  for (const table of [configured ?? {}, builtIn]) {
    const lowered = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
    for (const key of keys) {
      const hit = lowered.get(key);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}
