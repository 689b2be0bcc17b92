// One timeline across channels: every conversation of the customer, messages oldest first, each tagged
// with the channel and inbox it came through.
import type { CustomerTimeline } from '@zhike/contracts';
import { Alert, Button, Drawer, Empty, Skeleton, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';

const channelColor: Record<string, string> = {
  widget: 'blue',
  api: 'purple',
  sms: 'green',
  email: 'orange',
  wechat: 'cyan',
  voice: 'magenta',
};

export function TimelineButton({ customerId, version }: { customerId: string; version: number }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [open, setOpen] = useState(false);
  const [timeline, setTimeline] = useState<CustomerTimeline | null>(null);
  const [failed, setFailed] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` reloads it after a merge brought more history.
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setFailed(false);
    setTimeline(null);
    api.customerTimeline(customerId, controller.signal).then(setTimeline, () => {
      if (!controller.signal.aborted) setFailed(true);
    });
    return () => controller.abort();
  }, [api, customerId, open, version]);

  return (
    <>
      <Button block onClick={() => setOpen(true)} data-testid="timeline-open" className="zk-timeline-open">
        {t('identity.timeline.open')}
      </Button>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('identity.timeline.title')}
        size="large"
        destroyOnHidden
      >
        {failed ? (
          <Alert type="warning" title={t('identity.timeline.loadFailed')} showIcon />
        ) : !timeline ? (
          <Skeleton active />
        ) : timeline.messages.length === 0 ? (
          <Empty description={t('identity.timeline.empty')} />
        ) : (
          <div data-testid="customer-timeline">
            <Typography.Paragraph type="secondary">
              {t('identity.timeline.conversations', { count: String(timeline.conversations.length) })}
            </Typography.Paragraph>
            <Timeline
              items={timeline.messages.map((m) => ({
                key: m.id,
                color: channelColor[m.channel] ?? 'gray',
                content: (
                  <div data-testid="timeline-message" data-channel={m.channel}>
                    <Tag color={channelColor[m.channel] ?? 'default'}>{t(`channel.${m.channel}`)}</Tag>
                    <Typography.Text type="secondary">
                      {m.inboxName} · {t(`identity.author.${m.author}`)} ·{' '}
                      {formatDateTime(m.createdAt, locale)}
                    </Typography.Text>
                    <div className="zk-timeline-text">{m.text}</div>
                  </div>
                ),
              }))}
            />
          </div>
        )}
      </Drawer>
    </>
  );
}
