// Settings → Channels: every inbox with what it takes to connect it (widget snippet or API webhook).
import { PlusOutlined } from '@ant-design/icons';
import type { ChannelAdapterInfo, Inbox } from '@zhike/contracts';
import { Button, Empty, Skeleton, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { ApiInboxCard } from './ApiInboxCard.tsx';
import { ChannelConfigModal } from './ChannelConfigModal.tsx';
import { ChannelInboxCard } from './ChannelInboxCard.tsx';
import { WidgetInboxCard } from './WidgetInboxCard.tsx';

export function ChannelsPage({ navigate }: { navigate: (route: Route) => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [inboxes, setInboxes] = useState<Inbox[] | null>(null);
  const [adapters, setAdapters] = useState<ChannelAdapterInfo[]>([]);
  const [adding, setAdding] = useState(false);

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
    // Agents see the inboxes but not the providers list's settings form; a refusal just hides the button.
    api.listChannelAdapters().then(
      (list) => !cancelled && setAdapters(list.adapters),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [api, notifyError]);

  const replace = (updated: Inbox) =>
    setInboxes((list) => list?.map((i) => (i.id === updated.id ? updated : i)) ?? null);

  return (
    <div className="zk-page">
      <Space className="zk-page-header" align="center">
        <Typography.Title level={3}>{t('channels.title')}</Typography.Title>
        {adapters.length > 0 && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-channel">
            {t('channels.add')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t('channels.intro')}</Typography.Paragraph>
      {!inboxes && <Skeleton active />}
      {inboxes?.length === 0 && <Empty description={t('channels.empty')} />}
      <div className="zk-cards">
        {inboxes?.map((inbox) =>
          inbox.adapter ? (
            <ChannelInboxCard key={inbox.id} inbox={inbox} adapters={adapters} onSaved={replace} />
          ) : inbox.channel === 'widget' ? (
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
      {adding && (
        <ChannelConfigModal
          adapters={adapters}
          onClose={() => setAdding(false)}
          onSaved={(created) => {
            setAdding(false);
            setInboxes((list) => [...(list ?? []), created]);
          }}
        />
      )}
    </div>
  );
}
