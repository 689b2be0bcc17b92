// Every industry template's canned replies (replies.json): parse, 5–10 per template in both locales,
// shortcuts valid and unique, intents the template's own, variables the template or the reply context
// fills; compliance wording where the issue asks for it (retail's refund time limits).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkReplyTemplate, placeholdersIn, type TemplateReplies } from '@zhike/core';
import { describe, expect, it } from 'vitest';

const root = new URL('.', import.meta.url).pathname;
const locales = ['zh-CN', 'en-US'] as const;
const industries = readdirSync(root).filter(
  (d) => statSync(join(root, d)).isDirectory() && existsSync(join(root, d, 'zh-CN.json')),
);
const read = <T>(industry: string, file: string): T =>
  JSON.parse(readFileSync(join(root, industry, file), 'utf8')) as T;

interface Template {
  variables?: { key: string }[];
  intents: { name: string }[];
}

describe('industry template replies', () => {
  it('every industry ships replies', () => {
    expect(industries.length).toBeGreaterThanOrEqual(8);
    for (const industry of industries)
      expect(existsSync(join(root, industry, 'replies.json')), industry).toBe(true);
  });

  it.each(industries)('%s: replies pass the same checks an admin’s do, in both locales', (industry) => {
    const { replies } = read<TemplateReplies>(industry, 'replies.json');
    expect(replies.length, industry).toBeGreaterThanOrEqual(5);
    expect(replies.length, industry).toBeLessThanOrEqual(10);
    expect(new Set(replies.map((r) => r.shortcut)).size).toBe(replies.length);
    for (const locale of locales) {
      const template = read<Template>(industry, `${locale}.json`);
      const known = {
        intents: new Set(template.intents.map((i) => i.name)),
        shopVariables: (template.variables ?? []).map((v) => v.key),
      };
      for (const reply of replies) {
        const input = {
          shortcut: reply.shortcut,
          title: reply.title[locale],
          body: reply.body[locale],
          intents: reply.intents,
          compliance: reply.compliance,
          locale,
        };
        expect(checkReplyTemplate(input, known), `${industry} /${reply.shortcut} ${locale}`).toEqual([]);
        // Already in the stored form, so what the file says is what agents see.
        expect(reply.shortcut).toBe(reply.shortcut.toLowerCase());
      }
    }
    // Both locales name the same variables, so switching language never loses a fact.
    for (const reply of replies)
      expect(new Set(placeholdersIn(reply.body['en-US'])), `${industry} /${reply.shortcut}`).toEqual(
        new Set(placeholdersIn(reply.body['zh-CN'])),
      );
  });

  it('retail pins compliance wording for refunds, with the order filled in', () => {
    const { replies } = read<TemplateReplies>('retail', 'replies.json');
    const retail = read<Template>('retail', 'zh-CN.json');
    const refundIntents = retail.intents.map((i) => i.name).filter((n) => n.startsWith('refund'));
    expect(refundIntents.length).toBeGreaterThan(0);
    const compliance = replies.filter(
      (r) => r.compliance && r.intents.some((i) => refundIntents.includes(i)),
    );
    expect(compliance.map((r) => r.shortcut)).toEqual(['refund']);
    expect(compliance[0]?.body['zh-CN']).toMatch(/\{\{order\.number\}\}.*1–2 个工作日/);
  });
});
