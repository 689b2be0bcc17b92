// Written Chinese for the reader: bot answers are written in simplified Mandarin, a customer who writes
// traditional characters (Taiwan) or Cantonese (Hong Kong, Macau) reads them in their own script and
// regional vocabulary (OpenCC's phrase tables). No provider, no network: always available.
import * as OpenCC from 'opencc-js';

type Convert = (text: string) => string;
const converters = new Map<string, Convert>();

function converter(to: 'hk' | 'tw' | 'twp'): Convert {
  let convert = converters.get(to);
  if (!convert) {
    // Built on first use (~150 ms) and shared: the dictionaries are immutable.
    convert = OpenCC.Converter({ from: 'cn', to });
    converters.set(to, convert);
  }
  return convert;
}

/** Whether a language tag reads Chinese in traditional characters (zh-Hant, yue, zh-TW, zh-HK…). */
export function readsTraditional(language: string | null | undefined): boolean {
  if (!language) return false;
  const tag = language.toLowerCase();
  return tag === 'yue' || tag === 'zh-hant' || tag === 'zh-tw' || tag === 'zh-hk' || tag === 'zh-mo';
}

/** Simplified text in the script the customer reads: Hong Kong forms for Cantonese, Taiwan's otherwise. */
export function inCustomerScript(text: string, language: string): string {
  if (!readsTraditional(language)) return text;
  const tag = language.toLowerCase();
  return converter(tag === 'yue' || tag === 'zh-hk' || tag === 'zh-mo' ? 'hk' : 'twp')(text);
}
