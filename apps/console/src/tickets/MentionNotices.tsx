// Pops a notice when a colleague @mentions the signed-in agent in a ticket's internal note (the server
// sends the frame to the mentioned only); one click opens the ticket.
import type { ConsoleServerFrame } from '@zhike/contracts';
import { App, Button } from 'antd';
import { useUsers } from '../conversation/useUsers.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useConsoleFrames } from '../realtime/RealtimeContext.tsx';
import type { Route } from '../routing/route.ts';

export function MentionNotices({ navigate }: { navigate: (route: Route) => void }) {
  const { t } = useI18n();
  const { notification } = App.useApp();
  const users = useUsers(true);
  useConsoleFrames((frame: ConsoleServerFrame) => {
    if (frame.type !== 'ticket.mentioned') return;
    const name = users?.find((u) => u.id === frame.authorId)?.name ?? t('tickets.mention.someone');
    const key = `mention-${frame.entryId}`;
    notification.info({
      key,
      title: t('tickets.mention.title', { name, number: frame.ticketNumber }),
      duration: 0,
      actions: (
        <Button
          type="primary"
          size="small"
          data-testid="ticket-mention-open"
          onClick={() => {
            notification.destroy(key);
            navigate({ name: 'tickets', ticketId: frame.ticketId });
          }}
        >
          {t('tickets.mention.open')}
        </Button>
      ),
    });
  });
  return null;
}
