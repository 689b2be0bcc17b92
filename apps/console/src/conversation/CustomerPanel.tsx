import type { Customer } from '@zhike/contracts';
import { Alert, Avatar, Descriptions, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Customer360Sections } from '../customer360/Customer360Sections.tsx';
import { useI18n } from '../i18n/I18nContext.tsx';
import { IdentityList } from '../identity/IdentityList.tsx';
import { MergeSuggestionCard } from '../identity/MergeSuggestionCard.tsx';
import { TimelineButton } from '../identity/TimelineDrawer.tsx';
import { CustomerPrivacy } from '../privacy/CustomerPrivacy.tsx';
import { CustomerValue } from '../routingRules/CustomerValue.tsx';
import { RevealableValue } from '../security/RevealableValue.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { CallBackButton } from '../softphone/CallBackButton.tsx';
import { customerLabel } from '../ui/labels.ts';
import { formatDateTime } from '../ui/time.ts';

/** `conversationId`: the conversation the agent works in (a call-back is stored in it). */
type Props = { customerId: string; conversationId?: string; bare?: boolean };

export function CustomerPanel({ customerId, conversationId, bare = false }: Props) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [failed, setFailed] = useState(false);
  const [erased, setErased] = useState(false);
  // Bumped after a merge: the customer now has more identities and history to show.
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` reloads the customer after a merge.
  useEffect(() => {
    const controller = new AbortController();
    setFailed(false);
    setErased(false);
    api.getCustomer(customerId, controller.signal).then(setCustomer, () => {
      if (!controller.signal.aborted) setFailed(true);
    });
    return () => controller.abort();
  }, [api, customerId, version]);

  const none = <Typography.Text type="secondary">{t('customer.none')}</Typography.Text>;
  const label = customer
    ? customerLabel(
        { ...customer, externalId: customer.identities.find((i) => i.channel === 'external')?.value ?? null },
        t,
      )
    : '';
  const body = erased ? (
    <Alert type="success" title={t('privacy.erasedPanel')} showIcon data-testid="customer-erased" />
  ) : failed ? (
    <Alert type="warning" title={t('customer.loadFailed')} showIcon />
  ) : !customer ? (
    <Skeleton active paragraph={{ rows: 4 }} />
  ) : (
    <>
      <div className="zk-customer-head">
        <Avatar size={48} className="zk-avatar">
          {[...label][0]}
        </Avatar>
        <Typography.Title level={5} className="zk-customer-name">
          {label}
        </Typography.Title>
      </div>
      <Descriptions column={1} size="small" layout="vertical" colon={false}>
        <Descriptions.Item label={t('customer.email')}>
          {customer.email ? (
            <RevealableValue customerId={customer.id} field="email" masked={customer.email} />
          ) : (
            none
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('customer.phone')}>
          <Space size={8} wrap>
            {customer.phone ? (
              <RevealableValue customerId={customer.id} field="phone" masked={customer.phone} />
            ) : (
              none
            )}
            <CallBackButton
              customer={customer}
              {...(conversationId !== undefined ? { conversationId } : {})}
            />
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('customer.identities')}>
          {customer.identities.length === 0 ? none : <IdentityList identities={customer.identities} />}
        </Descriptions.Item>
        <Descriptions.Item label={t('customer.firstSeen')}>
          {formatDateTime(customer.createdAt, locale)}
        </Descriptions.Item>
      </Descriptions>
      <CustomerValue customerId={customer.id} />
      <Customer360Sections customerId={customer.id} version={version} />
      <MergeSuggestionCard key={version} customerId={customer.id} onMerged={() => setVersion((v) => v + 1)} />
      <TimelineButton customerId={customer.id} version={version} />
      <CustomerPrivacy customerId={customer.id} onErased={() => setErased(true)} />
    </>
  );
  if (bare) return <div data-testid="customer-panel">{body}</div>;
  return (
    <div className="zk-customer-panel" data-testid="customer-panel">
      <div className="zk-panel-title">{t('customer.title')}</div>
      {body}
    </div>
  );
}
