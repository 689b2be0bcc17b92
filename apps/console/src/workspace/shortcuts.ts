// The workspace's keyboard shortcuts as data: which key press means which action. Plain keys never fire
// while the agent types (input, textarea, select, contenteditable); Alt combinations do, so an agent can
// resolve or move on without leaving the reply box. Alt combinations are read from `code` (the physical
// key), because on macOS Option+R types "®" and `key` would never say "r".

export const shortcutActions = ['next', 'previous', 'resolve', 'focusReply', 'help'] as const;
export type ShortcutAction = (typeof shortcutActions)[number];

export interface KeyPress {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** Set while an IME (pinyin) is composing: its keys belong to the candidate window. */
  isComposing?: boolean;
  target: EventTarget | null;
}

/** What the help modal lists, in order; `keys` are shown as keycaps. */
export const shortcutHelp: readonly { action: ShortcutAction | 'suggestion'; keys: string[][] }[] = [
  { action: 'next', keys: [['J'], ['Alt', '↓']] },
  { action: 'previous', keys: [['K'], ['Alt', '↑']] },
  { action: 'resolve', keys: [['Alt', 'R']] },
  { action: 'focusReply', keys: [['R']] },
  // Inserting suggestion 1–3 belongs to the suggestions panel; listed here so agents find every key.
  {
    action: 'suggestion',
    keys: [
      ['Alt', '1'],
      ['Alt', '2'],
      ['Alt', '3'],
    ],
  },
  { action: 'help', keys: [['?']] },
];

/** True when the key press lands in something the agent types into. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as { tagName?: unknown; isContentEditable?: unknown };
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : '';
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable === true;
}

export function shortcutOf(press: KeyPress): ShortcutAction | null {
  if (press.isComposing || press.ctrlKey || press.metaKey) return null;
  if (press.altKey) {
    if (press.shiftKey) return null;
    if (press.code === 'ArrowDown') return 'next';
    if (press.code === 'ArrowUp') return 'previous';
    if (press.code === 'KeyR') return 'resolve';
    return null;
  }
  if (isTyping(press.target)) return null;
  if (press.key === '?') return 'help';
  if (press.shiftKey) return null;
  switch (press.key.toLowerCase()) {
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 'r':
      return 'focusReply';
    default:
      return null;
  }
}

/** The conversation `step` places from the open one in the list (the first one when none is open). */
export function stepConversation(ids: readonly string[], openId: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const at = openId ? ids.indexOf(openId) : -1;
  if (at === -1) return step === 1 ? (ids[0] ?? null) : (ids[ids.length - 1] ?? null);
  const next = at + step;
  return next < 0 || next >= ids.length ? null : (ids[next] ?? null);
}
