// Which of the platform's own locales a customer reads, for the notices the system writes them (hand-off,
// place in line): Chinese readers get zh-CN, English readers en-US, anyone else the workspace's locale
// (the bot's answers reach them through translation; these fixed notices have no provider to go through).
import type { Locale } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';

export function localeForLanguage(language: string | null, fallback: Locale): Locale {
  if (!language) return fallback;
  const tag = language.toLowerCase();
  if (tag === 'yue' || tag.startsWith('zh')) return 'zh-CN';
  if (tag === 'en' || tag.startsWith('en-')) return 'en-US';
  return fallback;
}

export async function customerLocale(
  tx: WorkspaceRepositories,
  customerId: string,
  fallback: Locale,
): Promise<Locale> {
  return localeForLanguage(await tx.languages.customerLanguage(customerId), fallback);
}
