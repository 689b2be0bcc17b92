import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { EmailInboxConfig, receivingAddresses } from './config.ts';

const minimal = { address: 'support@shop.example', smtpHost: 'smtp.qiye.aliyun.com', smtpPort: 465 };

describe('email inbox config', () => {
  it('needs only the address and the relay; TLS mode follows the port', () => {
    expect(Value.Check(EmailInboxConfig, minimal)).toBe(true);
    expect(Value.Check(EmailInboxConfig, { ...minimal, smtpSecure: false, smtpPort: 587 })).toBe(true);
  });

  it('may file a ticket for each new thread, with a category and priority', () => {
    const filing = { createTickets: true, ticketCategory: '售后', ticketPriority: 'high' };
    expect(Value.Check(EmailInboxConfig, { ...minimal, ...filing })).toBe(true);
    expect(Value.Check(EmailInboxConfig, { ...minimal, ...filing, ticketPriority: 'asap' })).toBe(false);
    expect(Value.Check(EmailInboxConfig, { ...minimal, ...filing, ticketCategory: '' })).toBe(false);
    expect(Value.Check(EmailInboxConfig, { ...minimal, createTickets: 'yes' })).toBe(false);
  });

  it('refuses what is not an address or a host, header injection and unknown fields', () => {
    expect(Value.Check(EmailInboxConfig, { ...minimal, address: 'support' })).toBe(false);
    expect(Value.Check(EmailInboxConfig, { ...minimal, address: 'a@b.example\r\nBcc: x@y' })).toBe(false);
    expect(Value.Check(EmailInboxConfig, { ...minimal, displayName: 'Shop\r\nBcc: x@y' })).toBe(false);
    expect(Value.Check(EmailInboxConfig, { ...minimal, smtpHost: 'http://relay' })).toBe(false);
    expect(Value.Check(EmailInboxConfig, { ...minimal, smtpPort: 0 })).toBe(false);
    expect(Value.Check(EmailInboxConfig, { ...minimal, extra: 1 })).toBe(false);
  });

  it('receives at the address and the forwarding address, case-insensitively', () => {
    expect(
      receivingAddresses({ address: 'Support@Shop.example', receiveAddress: 'support@cs.shop.example' }),
    ).toEqual(['support@shop.example', 'support@cs.shop.example']);
    expect(receivingAddresses({ address: 'a@b.example', receiveAddress: 'A@B.example' })).toEqual([
      'a@b.example',
    ]);
    expect(receivingAddresses(null)).toEqual([]);
  });
});
