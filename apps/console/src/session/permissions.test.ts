import { describe, expect, it } from 'vitest';
import { can } from './permissions.ts';

describe('can', () => {
  it('answers from the permissions the server granted, not from the role name', () => {
    const agent = { permissions: ['conversations.read', 'conversations.reply'] as const };
    expect(can({ permissions: [...agent.permissions] }, 'conversations.reply')).toBe(true);
    expect(can({ permissions: [...agent.permissions] }, 'api_keys.manage')).toBe(false);
    expect(can({ permissions: [] }, 'conversations.read')).toBe(false);
  });
});
