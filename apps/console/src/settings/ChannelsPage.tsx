// Settings → Channels: every inbox with what it takes to connect it (widget snippet or API webhook).
import type { Inbox } from '@zhike/contracts';
import { Empty, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { ApiInboxCard } from './ApiInboxCard.tsx';
import { WidgetInboxCard } from './WidgetInboxCard.tsx';

export function ChannelsPage({ navigate }: { navigate: (route: Route) => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [inboxes, setInboxes] = useState<Inbox[] | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.listInboxes().then(
      (list) => !cancelled && setInboxes(list.inboxes),
      (error: unknown) => {
        if (cancelled) return;
        setInboxes([]);
        notifyError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, notifyError]);

  const replace = (updated: Inbox) =>
    setInboxes((list) => list?.map((i) => (i.id === updated.id ? updated : i)) ?? null);

  return (
    <div className="zk-page">
      <Typography.Title level={3}>{t('channels.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('channels.intro')}</Typography.Paragraph>
      {!inboxes && <Skeleton active />}
      {inboxes?.length === 0 && <Empty description={t('channels.empty')} />}
      <div className="zk-cards">
        {inboxes?.map((inbox) =>
          inbox.channel === 'widget' ? (
            <WidgetInboxCard key={inbox.id} inbox={inbox} onSaved={replace} />
          ) : (
            <ApiInboxCard
              key={inbox.id}
              inbox={inbox}
              onSaved={replace}
              onCreateKey={() => navigate({ name: 'apiKeys' })}
            />
          ),
        )}
      </div>
    </div>
  );
}
