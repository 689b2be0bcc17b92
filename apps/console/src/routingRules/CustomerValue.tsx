// The customer's value in the customer panel: tier, member level, lifetime spend, orders and tags, as the
// shop imported or computed them; what routing reads for VIP handling and the priority score.
import type { CustomerProfile } from '@zhike/contracts';
import { Descriptions, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';

export function CustomerValue({ customerId }: { customerId: string }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [profile, setProfile] = useState<CustomerProfile | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setProfile(null);
    // A panel without the value is still useful: a failure just leaves it out.
    api.getCustomerProfile(customerId, controller.signal).then(setProfile, () => undefined);
    return () => controller.abort();
  }, [api, customerId]);

  if (!profile) return null;
  // A profile nobody ever set says nothing about the customer: 0 spend and 0 orders would contradict the
  // orders listed below it, so say it was not provided instead.
  const provided = profile.updatedAt !== null;
  const notProvided = (
    <Tooltip title={t('routing.profile.notProvidedHint')}>
      <Typography.Text type="secondary">{t('routing.profile.notProvided')}</Typography.Text>
    </Tooltip>
  );
  const spend = new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(
    profile.lifetimeSpendFen / 100,
  );
  return (
    <Descriptions
      column={1}
      size="small"
      colon={false}
      title={t('routing.profile.title')}
      data-testid="customer-value"
    >
      <Descriptions.Item label={t('routing.profile.tier')}>
        <Tag color={profile.tier === 'vip' ? 'gold' : profile.tier === 'regular' ? 'blue' : 'default'}>
          {t(`routing.tier.${profile.tier}`)}
        </Tag>
      </Descriptions.Item>
      {profile.memberLevel && (
        <Descriptions.Item label={t('routing.profile.memberLevel')}>{profile.memberLevel}</Descriptions.Item>
      )}
      <Descriptions.Item label={t('routing.profile.spend')}>
        {provided ? spend : notProvided}
      </Descriptions.Item>
      <Descriptions.Item label={t('routing.profile.orders')}>
        {provided ? profile.orderCount : notProvided}
      </Descriptions.Item>
      {profile.tags.length > 0 && (
        <Descriptions.Item label={t('routing.profile.tags')}>
          {profile.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}
