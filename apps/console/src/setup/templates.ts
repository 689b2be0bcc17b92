// Reading the template catalogue for the forms: labels in the console's language, default values in
// the bot's (the template file the bot is built from), and which keys belong on which step.
import type {
  BotSettingsView,
  Locale,
  TemplateLocaleInfo,
  TemplateSummary,
  TemplateVariable,
} from '@zhike/contracts';

export const SHOP_KEYS = ['shop.name', 'shop.phone', 'shop.address'] as const;
export const HOURS_KEY = 'shop.hours';
export const isPolicyKey = (key: string) => key.startsWith('policy.');

function localeInfo(template: TemplateSummary, locale: Locale): TemplateLocaleInfo | undefined {
  return template.locales[locale] ?? template.locales['zh-CN'] ?? template.locales['en-US'];
}

export function templateName(template: TemplateSummary, uiLocale: Locale): string {
  return localeInfo(template, uiLocale)?.name ?? template.id;
}

export function templateDescription(template: TemplateSummary, uiLocale: Locale): string {
  return localeInfo(template, uiLocale)?.description ?? '';
}

/** The template's variables in order, each with its label in the console's language and default in the bot's. */
export function templateVariables(
  template: TemplateSummary,
  uiLocale: Locale,
  botLocale: Locale,
): TemplateVariable[] {
  const bot = localeInfo(template, botLocale)?.variables ?? [];
  const labels = new Map((localeInfo(template, uiLocale)?.variables ?? []).map((v) => [v.key, v.label]));
  return bot.map((v) => ({ ...v, label: labels.get(v.key) ?? v.label }));
}

/** Saved values for the keys this template declares, so switching templates never sends foreign keys. */
export function keptValues(
  template: TemplateSummary,
  settings: BotSettingsView | null,
): Record<string, string> {
  const keys = new Set(Object.values(template.locales).flatMap((l) => l?.variables.map((v) => v.key) ?? []));
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings?.variables ?? {})) if (keys.has(key)) kept[key] = value;
  return kept;
}
