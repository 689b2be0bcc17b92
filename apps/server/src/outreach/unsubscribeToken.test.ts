import { describe, expect, it } from 'vitest';
import { signUnsubscribe, verifyUnsubscribe } from './unsubscribeToken.ts';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';
const claim = { workspaceId: 'ws-1', customerId: 'cust-1', purpose: 'marketing_email' as const };

describe('unsubscribe tokens', () => {
  it('round-trips and refuses tampering, another secret and garbage', () => {
    const token = signUnsubscribe(SECRET, claim);
    expect(verifyUnsubscribe(SECRET, token)).toEqual(claim);
    expect(verifyUnsubscribe(`${SECRET}x`, token)).toBeNull();
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify(['ws-1', 'cust-2', 'marketing_email'])).toString('base64url');
    expect(verifyUnsubscribe(SECRET, `${forged}.${mac}`)).toBeNull();
    expect(verifyUnsubscribe(SECRET, `${body}.${mac}x`)).toBeNull();
    for (const bad of ['', '.', 'abc', 'a.b.c', `${body}`]) expect(verifyUnsubscribe(SECRET, bad)).toBeNull();
  });
});
