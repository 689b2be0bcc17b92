// When the agent hears about new work: a conversation newly assigned to them, or a queue offer. Pure, so
// the rules are unit-tested; NotificationCenter does the browser side (Notification API, WebAudio).
import type { ConsoleServerFrame } from '@zhike/contracts';

export interface NotifySettings {
  /** Browser notifications (needs the browser's permission, asked from the toggle, never on load). */
  desktop: boolean;
  sound: boolean;
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = { desktop: false, sound: true };

const storageKey = (userId: string) => `zhike.notify.${userId}`;

/** Per user and per browser: two people sharing a computer keep their own choice. */
export function loadNotifySettings(storage: Pick<Storage, 'getItem'>, userId: string): NotifySettings {
  try {
    const raw: unknown = JSON.parse(storage.getItem(storageKey(userId)) ?? 'null');
    if (!raw || typeof raw !== 'object') return DEFAULT_NOTIFY_SETTINGS;
    const value = raw as Partial<Record<keyof NotifySettings, unknown>>;
    return {
      desktop: typeof value.desktop === 'boolean' ? value.desktop : DEFAULT_NOTIFY_SETTINGS.desktop,
      sound: typeof value.sound === 'boolean' ? value.sound : DEFAULT_NOTIFY_SETTINGS.sound,
    };
  } catch {
    return DEFAULT_NOTIFY_SETTINGS;
  }
}

export function saveNotifySettings(
  storage: Pick<Storage, 'setItem'>,
  userId: string,
  settings: NotifySettings,
): void {
  storage.setItem(storageKey(userId), JSON.stringify(settings));
}

export interface WorkAlert {
  kind: 'assigned' | 'offer';
  conversationId: string;
  /** Stable per piece of news, so the browser replaces rather than stacks a repeat. */
  tag: string;
  customerName: string | null;
}

export interface AlertContext {
  userId: string;
  /** Conversations known to be assigned to the agent already (kept up to date by `alertFor`). */
  mine: Set<string>;
  /** The conversation on screen, and whether the window has the focus. */
  openConversationId: string | null;
  focused: boolean;
}

/**
 * The alert a console frame calls for, if any. A conversation counts as news once, when it becomes the
 * agent's; the one the agent is looking at (open in a focused window) never does.
 */
export function alertFor(frame: ConsoleServerFrame, ctx: AlertContext): WorkAlert | null {
  const onScreen = (conversationId: string) => ctx.focused && ctx.openConversationId === conversationId;
  if (frame.type === 'conversation.updated') {
    const c = frame.conversation;
    if (c.assignee?.id !== ctx.userId) {
      ctx.mine.delete(c.id);
      return null;
    }
    if (ctx.mine.has(c.id)) return null;
    ctx.mine.add(c.id);
    if (c.status === 'resolved' || onScreen(c.id)) return null;
    return { kind: 'assigned', conversationId: c.id, tag: `assigned-${c.id}`, customerName: c.customer.name };
  }
  if (frame.type === 'offer') {
    const { offer } = frame;
    if (offer.userId !== ctx.userId || onScreen(offer.conversationId)) return null;
    return {
      kind: 'offer',
      conversationId: offer.conversationId,
      tag: `offer-${offer.id}`,
      customerName: null,
    };
  }
  return null;
}
