import { describe, expect, it } from 'vitest';
import { handOffNotice } from './conversations/handOffConversation.ts';
import { createIdGenerator, isId } from './ids.ts';
import { retryDelayMs } from './jobs.ts';
import { rolePermissions } from './permissions.ts';

describe('ids', () => {
  it('are UUIDv7, unique and sortable even within one millisecond', () => {
    const newId = createIdGenerator({ now: () => new Date(1_700_000_000_000) });
    const ids = Array.from({ length: 5000 }, newId);
    expect(ids.every(isId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('hand-off notice', () => {
  it('tells the customer in the workspace language', () => {
    expect(handOffNotice('zh-CN', 'no_answer')).toContain('人工');
    expect(handOffNotice('en-US', 'customer_request')).toMatch(/team/);
  });
});

describe('permissions and jobs', () => {
  it('lets agents reply but not manage keys or assign others', () => {
    expect(rolePermissions.agent.has('conversations.reply')).toBe(true);
    expect(rolePermissions.agent.has('api_keys.manage')).toBe(false);
    expect(rolePermissions.agent.has('conversations.assign_others')).toBe(false);
    expect(rolePermissions.supervisor.has('conversations.assign_others')).toBe(true);
    expect(rolePermissions.owner.has('api_keys.manage')).toBe(true);
  });
  it('backs off exponentially up to ten minutes', () => {
    expect([1, 2, 3].map(retryDelayMs)).toEqual([2000, 4000, 8000]);
    expect(retryDelayMs(30)).toBe(600_000);
  });
});
