// Brand and product names a workspace never wants translated: each occurrence is swapped for a placeholder
// token before the provider sees the text and swapped back afterwards. Engines treat an unknown capitalised
// token as a name and keep it, but may add or drop spaces, change its case, split it or widen its digits
// ('ZXQ0QXZ' → 'zxq 0 qxz', 'ZXQ０QXZ'), so restoring matches it loosely and sets the spacing afresh.
import { type TranslationLanguage, writtenWithoutSpaces } from './languages.ts';
import type { GlossaryTerm } from './translator.ts';

interface Protected {
  text: string;
  /** What each placeholder becomes, by index. */
  replacements: string[];
}

const PLACEHOLDER = (index: number) => `ZXQ${index}QXZ`;
const FULL_WIDTH_DIGITS = /[０-９]/g;
/** The placeholder as engines may return it, with the spaces the engine put around it. */
const RETURNED = /[ \t\u00a0\u3000]*z\s*x\s*q\s*(\d+)\s*q\s*x\s*z[ \t\u00a0\u3000]*/gi;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isWordCharacter = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char);
const isCjk = (char: string | undefined) =>
  char !== undefined && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(char);

interface Form {
  surface: string;
  entry: number;
}

/** Every form of every term, longest first so '智客云' wins over '智客'. */
function formsOf(glossary: readonly GlossaryTerm[]): Form[] {
  const forms: Form[] = [];
  for (const [entry, term] of glossary.entries()) {
    const surfaces =
      typeof term === 'string' ? [term] : [term.term, ...Object.values(term.translations ?? {})];
    for (const surface of surfaces) {
      const trimmed = (surface ?? '').trim();
      if (trimmed !== '') forms.push({ surface: trimmed, entry });
    }
  }
  return forms.sort((a, b) => b.surface.length - a.surface.length);
}

/**
 * The rendering of a found term in the target language: its fixed translation; else the term itself (a
 * rendering found in the text goes back to the workspace's own form), kept as it was written when found.
 */
function rendering(term: GlossaryTerm, found: string, to: TranslationLanguage): string {
  if (typeof term === 'string') return found;
  const translations = term.translations ?? {};
  const fixed =
    translations[to] ??
    (to === 'yue' ? translations['zh-Hant'] : undefined) ??
    (to === 'zh-Hant' ? translations.yue : undefined);
  if (fixed) return fixed;
  return found.toLowerCase() === term.term.trim().toLowerCase() ? found : term.term.trim();
}

/** Replaces the glossary's terms in one text by placeholders (case-insensitive, whole words for Latin). */
export function protectTerms(
  text: string,
  glossary: readonly GlossaryTerm[],
  to: TranslationLanguage,
): Protected {
  const forms = formsOf(glossary);
  if (forms.length === 0) return { text, replacements: [] };
  const pattern = new RegExp(forms.map((form) => escapeRegExp(form.surface)).join('|'), 'giu');
  const lowered = new Map(forms.map((form) => [form.surface.toLowerCase(), form.entry] as const));
  const replacements: string[] = [];
  const protectedText = text.replace(pattern, (found: string, offset: number) => {
    // A Latin term inside a longer word ('Zhike' in 'Zhikes') is not the term.
    const before = text[offset - 1];
    const after = text[offset + found.length];
    if (
      (isWordCharacter(found[0]) && !isCjk(found[0]) && isWordCharacter(before) && !isCjk(before)) ||
      (isWordCharacter(found.at(-1)) && !isCjk(found.at(-1)) && isWordCharacter(after) && !isCjk(after))
    )
      return found;
    const entry = lowered.get(found.toLowerCase());
    if (entry === undefined) return found;
    replacements.push(rendering(glossary[entry]!, found, to));
    return PLACEHOLDER(replacements.length - 1);
  });
  return { text: protectedText, replacements };
}

/**
 * Puts the terms back. Spacing is set by the neighbours, not kept from the engine: a space only where a
 * Latin letter or digit of the term meets one of the text, or where the target language spaces words.
 */
export function restoreTerms(text: string, replacements: readonly string[], to: TranslationLanguage): string {
  if (replacements.length === 0) return text;
  const normalised = text.replace(FULL_WIDTH_DIGITS, (digit) =>
    String.fromCharCode(digit.charCodeAt(0) - 0xff10 + 0x30),
  );
  const spaced = !writtenWithoutSpaces(to);
  return normalised.replace(RETURNED, (match: string, digits: string, offset: number, whole: string) => {
    const replacement = replacements[Number(digits)] ?? '';
    const before = whole[offset - 1];
    const after = whole[offset + match.length];
    const gap = (outside: string | undefined, edge: string | undefined, hadSpace: boolean, tight: RegExp) => {
      if (outside === undefined || replacement === '') return '';
      if (isWordCharacter(outside) && isWordCharacter(edge) && !isCjk(outside) && !isCjk(edge)) return ' ';
      // Elsewhere keep the engine's space only in languages that space words, never inside brackets or
      // before a comma or full stop.
      return spaced && hadSpace && !tight.test(outside) ? ' ' : '';
    };
    const leading = gap(before, replacement[0], /^\s/.test(match), /[\p{Ps}\p{Pi}]/u);
    const trailing = gap(after, replacement.at(-1), /\s$/.test(match), /[\p{Pe}\p{Pf}\p{Po}]/u);
    return `${leading}${replacement}${trailing}`;
  });
}
