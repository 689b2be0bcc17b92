// Dialect understanding: the Mandarin form of a Cantonese or Sichuanese message, for the NLU and for
// storing beside the original (which the caller always keeps and shows).
import { dialects, toSimplified } from '../normalise/index.ts';
import type { Dialect, DialectEvidence } from './rewrite.ts';

export {
  createDialectRewriter,
  DIALECT_LEXICON,
  DIALECT_THRESHOLD,
  DIALECTS,
  type Dialect,
  type DialectEntry,
  type DialectEvidence,
  type DialectLexicon,
  type DialectRewrite,
  type DialectRewriter,
  type MappedRewrite,
} from './rewrite.ts';

export interface MandarinForm {
  /** Simplified Mandarin: traditional characters converted, dialect expressions rewritten; punctuation, case
   *  and spacing as the customer wrote them. */
  text: string;
  /** The dialect the message was written in, or null for Mandarin (and anything else). */
  dialect: Dialect | null;
  evidence: DialectEvidence;
}

/**
 * The Mandarin form of a message: 「我張單幾時到呀?」 → { text: '我的订单什么时候到呀?', dialect: 'yue' }.
 * Mandarin text comes back unchanged apart from traditional → simplified conversion.
 */
export function toMandarin(text: string): MandarinForm {
  const simplified = toSimplified(text);
  const { text: mandarin, dialect, evidence } = dialects().rewrite(simplified);
  return { text: mandarin, dialect, evidence };
}
