import { describe, expect, it } from 'vitest';
import { createClientMessageId } from './ids.ts';

describe('createClientMessageId', () => {
  it('makes distinct UUIDv4-shaped ids', () => {
    const ids = new Set(Array.from({ length: 500 }, () => createClientMessageId()));
    expect(ids.size).toBe(500);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
