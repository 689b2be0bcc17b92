// The industry templates a workspace can pick (templates/<id>/<locale>.json), read once per app: what the
// setup wizard lists and what bot settings are checked against.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BotTemplate } from '@zhike/bot';
import type { TemplateLocaleInfo, TemplateSummary } from '@zhike/contracts';
import type { Locale } from '@zhike/core';
import { loadTemplate } from './templateFiles.ts';

const LOCALES: readonly Locale[] = ['zh-CN', 'en-US'];

export interface TemplateCatalogue {
  list(): Promise<TemplateSummary[]>;
  /** null = no such template. */
  get(id: string): Promise<TemplateSummary | null>;
}

function localeInfo(t: BotTemplate): TemplateLocaleInfo {
  return {
    name: t.name ?? t.id,
    description: t.description ?? '',
    variables: (t.variables ?? []).map((v) => ({
      key: v.key,
      label: v.label ?? v.key,
      default: v.default ?? '',
    })),
  };
}

async function readCatalogue(templatesDir: string): Promise<TemplateSummary[]> {
  const entries = await readdir(templatesDir, { withFileTypes: true });
  const ids = entries
    .filter((e) => e.isDirectory() && existsSync(join(templatesDir, e.name, 'zh-CN.json')))
    .map((e) => e.name)
    .sort();
  const summaries: TemplateSummary[] = [];
  for (const id of ids) {
    const locales: TemplateSummary['locales'] = {};
    let source: BotTemplate | null = null;
    for (const locale of LOCALES) {
      if (!existsSync(join(templatesDir, id, `${locale}.json`))) continue;
      const template = await loadTemplate(templatesDir, id, locale);
      locales[locale] = localeInfo(template);
      if (locale === 'zh-CN') source = template;
    }
    if (!source) continue;
    summaries.push({ id, faqCount: source.faqs.length, intentCount: source.intents.length, locales });
  }
  return summaries;
}

export function createTemplateCatalogue(templatesDir: string): TemplateCatalogue {
  let loaded: Promise<TemplateSummary[]> | null = null;
  const all = () => {
    loaded ??= readCatalogue(templatesDir).catch((error: unknown) => {
      loaded = null; // a failed read (files being deployed) is retried by the next request
      throw error;
    });
    return loaded;
  };
  return {
    list: all,
    async get(id) {
      return (await all()).find((t) => t.id === id) ?? null;
    },
  };
}

/** The keys a workspace may set for a template: those its files declare, in any locale. */
export function declaredKeys(template: TemplateSummary): Set<string> {
  return new Set(Object.values(template.locales).flatMap((l) => (l ? l.variables.map((v) => v.key) : [])));
}
