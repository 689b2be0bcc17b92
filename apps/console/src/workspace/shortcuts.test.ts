import { describe, expect, it } from 'vitest';
import { type KeyPress, shortcutOf, stepConversation } from './shortcuts.ts';

const textarea = { tagName: 'TEXTAREA' } as unknown as EventTarget;
const editable = { tagName: 'DIV', isContentEditable: true } as unknown as EventTarget;
const page = { tagName: 'BODY' } as unknown as EventTarget;

const press = (key: string, init: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code: key.length === 1 ? `Key${key.toUpperCase()}` : key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  target: page,
  ...init,
});

describe('workspace shortcuts', () => {
  it('maps plain keys outside inputs', () => {
    expect(shortcutOf(press('j'))).toBe('next');
    expect(shortcutOf(press('J'))).toBe('next'); // caps lock on
    expect(shortcutOf(press('k'))).toBe('previous');
    expect(shortcutOf(press('r'))).toBe('focusReply');
    expect(shortcutOf(press('?', { shiftKey: true, code: 'Slash' }))).toBe('help');
    expect(shortcutOf(press('x'))).toBeNull();
  });

  it('never fires a plain key while the agent types', () => {
    for (const target of [textarea, editable, { tagName: 'input' } as unknown as EventTarget]) {
      expect(shortcutOf(press('j', { target }))).toBeNull();
      expect(shortcutOf(press('r', { target }))).toBeNull();
      expect(shortcutOf(press('?', { target, shiftKey: true }))).toBeNull();
    }
  });

  it('fires Alt combinations anywhere, read from the physical key', () => {
    // macOS Option+R types "®": the code still says KeyR.
    expect(shortcutOf(press('®', { altKey: true, code: 'KeyR', target: textarea }))).toBe('resolve');
    expect(shortcutOf(press('ArrowDown', { altKey: true, target: textarea }))).toBe('next');
    expect(shortcutOf(press('ArrowUp', { altKey: true }))).toBe('previous');
    // Alt+1..3 belong to the suggestions panel, not to these handlers.
    expect(shortcutOf(press('1', { altKey: true, code: 'Digit1' }))).toBeNull();
  });

  it('leaves browser and system combinations alone, and IME composition', () => {
    expect(shortcutOf(press('r', { ctrlKey: true }))).toBeNull(); // reload
    expect(shortcutOf(press('r', { metaKey: true }))).toBeNull();
    expect(shortcutOf(press('r', { altKey: true, shiftKey: true, code: 'KeyR' }))).toBeNull();
    expect(shortcutOf(press('j', { isComposing: true }))).toBeNull();
    expect(shortcutOf(press('J', { shiftKey: true }))).toBeNull();
  });

  it('steps through the list and stops at its ends', () => {
    const ids = ['a', 'b', 'c'];
    expect(stepConversation(ids, 'a', 1)).toBe('b');
    expect(stepConversation(ids, 'c', 1)).toBeNull();
    expect(stepConversation(ids, 'a', -1)).toBeNull();
    expect(stepConversation(ids, null, 1)).toBe('a');
    expect(stepConversation(ids, null, -1)).toBe('c');
    expect(stepConversation(ids, 'gone', 1)).toBe('a');
    expect(stepConversation([], null, 1)).toBeNull();
  });
});
