// Pops SLA alerts from the console feed: a 75 % warning for the ticket's assignee, a breach for it and
// (when the policy says so) for supervisors. The server decides who gets which frame.
import type { ConsoleServerFrame } from '@zhike/contracts';
import { App } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useConsoleFrames } from '../realtime/RealtimeContext.tsx';

export function SlaNotices() {
  const { t } = useI18n();
  const { notification } = App.useApp();
  useConsoleFrames((frame: ConsoleServerFrame) => {
    if (frame.type !== 'ticket.sla') return;
    const metric = t(`sla.metric.${frame.metric}`);
    const show = frame.alert === 'breached' ? notification.error : notification.warning;
    show({
      key: `sla-${frame.ticketId}-${frame.metric}-${frame.alert}`,
      message: t(frame.alert === 'breached' ? 'sla.alert.breached' : 'sla.alert.warning', { metric }),
      duration: 10,
    });
  });
  return null;
}
