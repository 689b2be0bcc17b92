// How the customer is known on each channel, with a mark for what the channel itself proved.
import {
  GlobalOutlined,
  IdcardOutlined,
  MailOutlined,
  MobileOutlined,
  WechatOutlined,
} from '@ant-design/icons';
import type { Customer } from '@zhike/contracts';
import { Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';

const icons: Record<string, ReactNode> = {
  visitor: <GlobalOutlined />,
  external: <IdcardOutlined />,
  phone: <MobileOutlined />,
  email: <MailOutlined />,
  wechat: <WechatOutlined />,
};
const known = ['visitor', 'external', 'phone', 'email', 'wechat'] as const;
type KnownChannel = (typeof known)[number];
const isKnown = (c: string): c is KnownChannel => (known as readonly string[]).includes(c);

export function IdentityList({ identities }: { identities: Customer['identities'] }) {
  const { t } = useI18n();
  return (
    <ul className="zk-identities" data-testid="customer-identities">
      {identities.map((identity) => (
        <li key={`${identity.channel}:${identity.value}`} data-testid={`identity-${identity.channel}`}>
          <Tag icon={icons[identity.channel]}>
            {isKnown(identity.channel) ? t(`identity.channel.${identity.channel}`) : identity.channel}
          </Tag>
          <Typography.Text ellipsis={{ tooltip: identity.value }} className="zk-identity-value">
            {identity.value}
          </Typography.Text>
          {identity.verified ? (
            <Tooltip title={t('identity.verifiedHint')}>
              <Tag color="green" data-testid="identity-verified">
                {t('identity.verified')}
              </Tag>
            </Tooltip>
          ) : (
            <Tag>{t('identity.unverified')}</Tag>
          )}
        </li>
      ))}
    </ul>
  );
}
