// The reply box's `/shortcut` completion: typing `/` at the start of a word lists the canned replies that
// match what follows (the server's search, closest first); arrow keys move, Enter or Tab inserts the
// reply filled for this conversation in place of `/…`, Esc closes until another `/` is typed.
import type { ReplyTemplate } from '@zhike/contracts';
import { App } from 'antd';
import { type KeyboardEvent, useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { replaceRange, type ShortcutQuery, shortcutAt } from './text.ts';

const LIMIT = 8;

export interface ShortcutCompletion {
  open: boolean;
  items: ReplyTemplate[];
  active: number;
  loading: boolean;
  /** Call with the draft and caret after every change. */
  onTextChange(text: string, caret: number): void;
  /** True when the key was the completion's (the reply box must not act on it). */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  choose(template: ReplyTemplate): void;
  setActive(index: number): void;
  close(): void;
}

export function useShortcutCompletion(options: {
  conversationId: string;
  text: string;
  /** Replaces the draft and puts the caret at `caret`. */
  replace: (text: string, caret: number) => void;
}): ShortcutCompletion {
  const { api, session } = useSignedIn();
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const { message } = App.useApp();
  const enabled = can(session, 'replies.read');
  const { conversationId, text, replace } = options;
  const [query, setQuery] = useState<ShortcutQuery | null>(null);
  /** Where the `/` was when Esc closed the list; the same `/` stays closed. */
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [items, setItems] = useState<ReplyTemplate[]>([]);
  const [loading, setLoading] = useState(false);
  const [active, setActive] = useState(0);
  const open = enabled && query !== null && query.start !== dismissedAt;

  useEffect(() => {
    if (!open || !query) return;
    const controller = new AbortController();
    setLoading(true);
    api
      .listReplyTemplates({ ...(query.query ? { q: query.query } : {}), limit: LIMIT }, controller.signal)
      .then(
        (r) => {
          setItems(r.templates.slice(0, LIMIT));
          setActive(0);
        },
        (error: unknown) => {
          setItems([]);
          notifyError(error);
        },
      )
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [api, notifyError, open, query]);

  const onTextChange = useCallback((value: string, caret: number) => {
    const found = shortcutAt(value, caret);
    setQuery((current) =>
      current && found && current.start === found.start && current.query === found.query ? current : found,
    );
    if (!found) setDismissedAt(null);
  }, []);

  const close = useCallback(() => {
    if (query) setDismissedAt(query.start);
  }, [query]);

  const choose = useCallback(
    (template: ReplyTemplate) => {
      if (!query) return;
      const at = query;
      setQuery(null);
      api.previewReply(conversationId, { templateId: template.id }).then(
        (preview) => {
          const next = replaceRange(text, at.start, at.end, preview.text);
          replace(next.text, next.caret);
        },
        () => {
          // The agent still gets the wording, its variables left visible to complete by hand.
          message.warning(t('replies.complete.failed'));
          const next = replaceRange(text, at.start, at.end, template.body);
          replace(next.text, next.caret);
        },
      );
    },
    [api, conversationId, message, query, replace, t, text],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
      if (!open || event.nativeEvent.isComposing) return false;
      const key = event.key;
      const chosen = items[active];
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        if (items.length === 0) return false;
        const by = key === 'ArrowDown' ? 1 : -1;
        setActive((i) => (i + by + items.length) % items.length);
      } else if ((key === 'Enter' || key === 'Tab') && chosen) {
        choose(chosen);
      } else if (key === 'Escape') {
        close();
      } else return false;
      event.preventDefault();
      event.stopPropagation();
      return true;
    },
    [active, choose, close, items, open],
  );

  return { open, items, active, loading, onTextChange, onKeyDown, choose, setActive, close };
}
