// How an outgoing message fared on a provider channel (SMS, email, WeChat): sent, delivered, read or
// failed, with the provider's reason on hover. Widget and API messages have no delivery and show none.
import {
  CheckCircleOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  EyeOutlined,
} from '@ant-design/icons';
import type { Message } from '@zhike/contracts';
import { Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';

type Delivery = NonNullable<Message['delivery']>;

const icons: Record<Delivery['status'], ReactNode> = {
  queued: <ClockCircleOutlined />,
  sent: <CheckOutlined />,
  delivered: <CheckCircleOutlined />,
  read: <EyeOutlined />,
  failed: <ExclamationCircleOutlined />,
};

export function DeliveryStatus({ delivery }: { delivery: Delivery }) {
  const { t } = useI18n();
  const label = t(`delivery.${delivery.status}`);
  const details = [
    delivery.error,
    delivery.parts > 1 ? t('delivery.parts', { parts: delivery.parts }) : null,
    delivery.passive ? t('delivery.passive') : null,
  ].filter(Boolean);
  return (
    <Tooltip title={details.length > 0 ? details.join(' · ') : label}>
      <span
        className={`zk-delivery zk-delivery-${delivery.status}`}
        data-testid="delivery-status"
        data-status={delivery.status}
      >
        {icons[delivery.status]} {label}
      </span>
    </Tooltip>
  );
}
