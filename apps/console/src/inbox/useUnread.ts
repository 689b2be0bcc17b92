// Conversations with customer messages the agent has not looked at yet (this tab only, not persisted).
import { useEffect, useState } from 'react';
import { useConsoleFrames } from '../realtime/RealtimeContext.tsx';

export function useUnread(openConversationId: string | null, titleBase: string): ReadonlySet<string> {
  const [unread, setUnread] = useState<ReadonlySet<string>>(() => new Set());

  useConsoleFrames((frame) => {
    if (frame.type !== 'message.created' || frame.message.author !== 'customer') return;
    if (frame.conversationId === openConversationId && document.visibilityState === 'visible') return;
    setUnread((prev) => (prev.has(frame.conversationId) ? prev : new Set(prev).add(frame.conversationId)));
  });

  useEffect(() => {
    if (!openConversationId) return;
    setUnread((prev) => {
      if (!prev.has(openConversationId)) return prev;
      const next = new Set(prev);
      next.delete(openConversationId);
      return next;
    });
  }, [openConversationId]);

  useEffect(() => {
    document.title = unread.size > 0 ? `(${unread.size}) ${titleBase}` : titleBase;
  }, [unread.size, titleBase]);

  return unread;
}
