import { describe, expect, it } from 'vitest';
import { twilioSignature, twilioSignatureBase, verifyTwilioSignature } from './twilioSignature.ts';

// The example in Twilio's webhook security docs and its SDKs' test suites: Auth Token "12345", this URL
// and these POST parameters. Two caller numbers appear in the published versions; both are checked.
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = (caller: string): [string, string][] => [
  ['To', '+18005551212'],
  ['From', caller],
  ['Digits', '1234'],
  ['Caller', caller],
  ['CallSid', 'CA1234567890ABCDE'],
];

describe('Twilio request signature', () => {
  it('builds the documented base string: URL, then name+value sorted by name', () => {
    expect(twilioSignatureBase(url, params('+14158675309'))).toBe(
      'https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675309Digits1234From+14158675309To+18005551212',
    );
  });

  it('matches the documented signatures', () => {
    expect(twilioSignature('12345', url, params('+14158675309'))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(twilioSignature('12345', url, params('+14158675310'))).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('verifies the good one and refuses tampering, another token, another URL, no header', () => {
    const good = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
    expect(verifyTwilioSignature('12345', url, params('+14158675309'), good)).toBe(true);
    expect(verifyTwilioSignature('12345', url, params('+14158675310'), good)).toBe(false);
    expect(verifyTwilioSignature('54321', url, params('+14158675309'), good)).toBe(false);
    expect(verifyTwilioSignature('12345', `${url}&x=1`, params('+14158675309'), good)).toBe(false);
    expect(verifyTwilioSignature('12345', url, params('+14158675309'), undefined)).toBe(false);
    expect(verifyTwilioSignature('12345', url, params('+14158675309'), '')).toBe(false);
    expect(verifyTwilioSignature('12345', url, params('+14158675309'), 'x'.repeat(10_000))).toBe(false);
  });

  it('accepts the URL with or without the default port, as Twilio may have signed either', () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
    const signedWithPort = twilioSignature('12345', withPort, params('+14158675309'));
    expect(verifyTwilioSignature('12345', url, params('+14158675309'), signedWithPort)).toBe(true);
    expect(
      verifyTwilioSignature('12345', withPort, params('+14158675309'), 'RSOYDt4T1cUTdK1PDd93/VVr8B8='),
    ).toBe(true);
  });
});
