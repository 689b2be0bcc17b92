// Catalogue types and the pure lookup used by the React i18n context.
import { enUS } from './en-US.ts';
import { zhCN } from './zh-CN.ts';

export type MessageKey = keyof typeof zhCN;
/** Every locale must translate every key of the zh-CN source catalogue. */
export type Messages = { readonly [K in MessageKey]: string };
export type UiLocale = 'zh-CN' | 'en-US';
export type TranslateVars = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;

export const catalogues: Readonly<Record<UiLocale, Messages>> = { 'zh-CN': zhCN, 'en-US': enUS };
export const DEFAULT_LOCALE: UiLocale = 'zh-CN';

export function isUiLocale(value: unknown): value is UiLocale {
  return value === 'zh-CN' || value === 'en-US';
}

/** Fills {placeholders}; an unknown placeholder stays visible so a missing variable is noticed. */
export function translate(messages: Messages, key: MessageKey, vars?: TranslateVars): string {
  const text = messages[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}
