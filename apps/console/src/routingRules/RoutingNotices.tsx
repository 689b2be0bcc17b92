// Shows the routing rules' notifications: when a rule asked for this user (or the supervisors) to hear
// about a conversation, a notification names the rule and opens the conversation.
import { App, Button } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useConsoleFrames } from '../realtime/RealtimeContext.tsx';
import { routeHref } from '../routing/route.ts';

export function RoutingNotices() {
  const { t } = useI18n();
  const { notification } = App.useApp();
  useConsoleFrames((frame) => {
    if (frame.type !== 'routing.notified') return;
    const { conversation, ruleName } = frame;
    notification.warning({
      key: `routing-${conversation.id}`,
      title: t('routing.notified'),
      description: [ruleName, conversation.lastMessage?.text].filter(Boolean).join(' — '),
      actions: (
        <Button
          size="small"
          type="primary"
          href={routeHref({ name: 'inbox', conversationId: conversation.id })}
          data-testid="routing-notice-open"
        >
          {t('routing.notice.open')}
        </Button>
      ),
      duration: 0,
    });
  });
  return null;
}
