// Phone numbers as SMS vendors hand them over (Alibaba Cloud: "1381111xxxx"; Tencent Cloud: nation code
// and national number apart; Twilio: already E.164) turned into one E.164 form, so the same person texting
// through two vendors, or giving their number on the widget, is one identity. The vendor-specific part
// (Tencent's separate nation code, an inbox's default country) is settled here; the result then goes
// through the core's one identity normaliser so it is stored exactly as every other channel stores phones.
import { normaliseIdentity } from '@zhike/core';

/** Countries whose numbers start with a trunk "0" nationally that is dropped after the country code. */
const TRUNK_ZERO = new Set([
  '86',
  '44',
  '49',
  '33',
  '39',
  '61',
  '81',
  '82',
  '886',
  '852',
  '853',
  '65',
  '60',
  '66',
]);

/**
 * E.164 ("+8613800138000") from what a vendor reported, or null when it cannot be a phone number. A
 * number without "+" or "00" is national to `defaultCountryCode` unless it already starts with it and is
 * long enough to carry it (mainland China mobiles are 11 digits starting with 1).
 */
export function toE164(raw: string, defaultCountryCode = '86'): string | null {
  const text = raw.normalize('NFKC').trim();
  if (!/^[+\d\s().-]+$/.test(text)) return null;
  let digits = text.replace(/\D/g, '');
  let international = text.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (!international) {
    if (defaultCountryCode === '86' && /^1\d{10}$/.test(digits)) digits = `86${digits}`;
    else if (defaultCountryCode === '86' && /^861\d{10}$/.test(digits)) {
      // Already carries the country code (Alibaba Cloud reports international senders this way).
    } else if (digits.startsWith(defaultCountryCode) && digits.length > 10) {
      // Looks international already.
    } else {
      const national = TRUNK_ZERO.has(defaultCountryCode) ? digits.replace(/^0/, '') : digits;
      digits = `${defaultCountryCode}${national}`;
    }
  }
  if (digits.length < 7 || digits.length > 15 || digits.startsWith('0')) return null;
  return `+${digits}`;
}

/** The sender's phone as an identity value, or null when the vendor reported something that is not one. */
export function phoneIdentity(raw: string, defaultCountryCode = '86'): string | null {
  const e164 = toE164(raw, defaultCountryCode);
  if (!e164) return null;
  try {
    return normaliseIdentity('phone', e164);
  } catch {
    return null;
  }
}
