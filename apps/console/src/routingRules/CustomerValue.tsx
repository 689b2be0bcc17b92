// The customer's value in the customer panel: tier, member level, lifetime spend, orders and tags, as the
// shop imported or computed them; what routing reads for VIP handling and the priority score.
import type { CustomerProfile } from '@zhike/contracts';
import { Descriptions, Tag } from 'antd';
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
      <Descriptions.Item label={t('routing.profile.spend')}>{spend}</Descriptions.Item>
      <Descriptions.Item label={t('routing.profile.orders')}>{profile.orderCount}</Descriptions.Item>
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
