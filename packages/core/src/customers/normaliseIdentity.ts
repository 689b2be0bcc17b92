// The one normaliser for customer identity values, used by every channel before an identity is looked up
// or stored, so the same phone typed three ways (138 1234 5678, +86-138-1234-5678, 8613812345678) is one
// identity and an SMS sender matches the phone a visitor gave on the widget.
import { DomainError } from '../errors.ts';
import type { IdentityKind } from '../model.ts';

export const identityKinds = [
  'visitor',
  'external',
  'phone',
  'email',
  'wechat',
] as const satisfies readonly IdentityKind[];

// A mainland mobile number: 11 digits starting 13–19.
const CN_MOBILE = /^1[3-9]\d{9}$/;
// Separators people and carriers put inside numbers; anything else (letters, '#') is not a phone.
const PHONE_SEPARATORS = /[\s\-().\u00a0]/g;

/**
 * E.164 where the country is known (`+8613812345678`); a bare 11-digit mainland mobile gets +86. Numbers
 * without a country code that are not mainland mobiles (landlines, SMS short codes) keep their digits.
 */
export function normalisePhoneNumber(value: string): string {
  let text = value.normalize('NFKC').trim().replace(PHONE_SEPARATORS, '');
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  const international = text.startsWith('+');
  const digits = international ? text.slice(1) : text;
  if (!/^\d+$/.test(digits) || digits.length < 3 || digits.length > 15) {
    throw new DomainError('validation_failed', 'not a phone number');
  }
  if (international) return `+${digits}`;
  if (CN_MOBILE.test(digits)) return `+86${digits}`;
  if (digits.length === 13 && digits.startsWith('86') && CN_MOBILE.test(digits.slice(2))) return `+${digits}`;
  return digits;
}

export function normaliseEmailAddress(value: string): string {
  const email = value.normalize('NFKC').trim().toLowerCase();
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@') || at === email.length - 1 || /\s/.test(email)) {
    throw new DomainError('validation_failed', 'not an email address');
  }
  return email;
}

/**
 * A WeChat OpenID is only unique within one official account, so the value is `<appId>:<openid>`.
 * OpenIDs are case-sensitive and kept as sent.
 */
export function normaliseWechatIdentity(value: string): string {
  const text = value.trim();
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1 || /\s/.test(text)) {
    throw new DomainError('validation_failed', 'a WeChat identity is <appId>:<openid>');
  }
  return text;
}

/** The canonical form of an identity value; throws validation_failed when the value cannot be one. */
export function normaliseIdentity(kind: IdentityKind, value: string): string {
  switch (kind) {
    case 'phone':
      return normalisePhoneNumber(value);
    case 'email':
      return normaliseEmailAddress(value);
    case 'wechat':
      return normaliseWechatIdentity(value);
    case 'visitor':
    case 'external': {
      // Opaque handles chosen by the widget or the integrator: only surrounding blanks are noise.
      const text = value.trim();
      if (text.length === 0) throw new DomainError('validation_failed', `empty ${kind} identity`);
      return text;
    }
  }
}
