import { describe, expect, it } from 'vitest';
import { parseAuthenticationResults, senderVerified } from './senderCheck.ts';

const base = {
  fromAddress: 'li@customer.example',
  authenticatedRelay: false,
  trustedAuthServId: 'mx.shop.example',
};

describe('senderVerified', () => {
  it('trusts the shop mail host that logged in', () => {
    expect(
      senderVerified({
        ...base,
        authenticatedRelay: true,
        authenticationResults: [],
        trustedAuthServId: null,
      }),
    ).toBe(true);
  });

  it('trusts a DMARC pass or an aligned DKIM pass from the configured host', () => {
    expect(
      senderVerified({
        ...base,
        authenticationResults: [
          'mx.shop.example; spf=pass smtp.mailfrom=customer.example; dmarc=pass (p=none) header.from=customer.example',
        ],
      }),
    ).toBe(true);
    expect(
      senderVerified({
        ...base,
        authenticationResults: [
          'mx.shop.example; dkim=pass (2048-bit key) header.d=customer.example header.s=s1',
        ],
      }),
    ).toBe(true);
  });

  it('refuses a DKIM pass for another domain, an SPF pass alone, a fail, or another host', () => {
    expect(
      senderVerified({
        ...base,
        authenticationResults: ['mx.shop.example; dkim=pass header.d=evil.example'],
      }),
    ).toBe(false);
    expect(
      senderVerified({
        ...base,
        authenticationResults: ['mx.shop.example; spf=pass smtp.mailfrom=customer.example'],
      }),
    ).toBe(false);
    expect(
      senderVerified({
        ...base,
        authenticationResults: ['mx.shop.example; dmarc=fail header.from=customer.example'],
      }),
    ).toBe(false);
    expect(
      senderVerified({
        ...base,
        authenticationResults: ['mx.evil.example; dmarc=pass header.from=customer.example'],
      }),
    ).toBe(false);
    expect(
      senderVerified({
        ...base,
        trustedAuthServId: null,
        authenticationResults: ['mx.shop.example; dmarc=pass'],
      }),
    ).toBe(false);
  });

  it('reads only the newest header of the trusted host (an older one may be forged by the sender)', () => {
    expect(
      senderVerified({
        ...base,
        authenticationResults: [
          'mx.shop.example; dmarc=fail header.from=customer.example',
          'mx.shop.example; dmarc=pass header.from=customer.example',
        ],
      }),
    ).toBe(false);
  });

  it('parses comments and folded lines', () => {
    expect(
      parseAuthenticationResults('mx.shop.example (a; b);\r\n dkim=pass (good; sig) header.d=x.example'),
    ).toEqual({
      authServId: 'mx.shop.example',
      results: [{ method: 'dkim', result: 'pass', props: { 'header.d': 'x.example' } }],
    });
  });
});
