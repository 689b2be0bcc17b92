import {
  ApiOutlined,
  GlobalOutlined,
  MailOutlined,
  MessageOutlined,
  PhoneOutlined,
  WechatOutlined,
} from '@ant-design/icons';
import type { ChannelType } from '@zhike/contracts';
import { Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';

const icons: Record<ChannelType, ReactNode> = {
  widget: <GlobalOutlined />,
  api: <ApiOutlined />,
  sms: <MessageOutlined />,
  email: <MailOutlined />,
  wechat: <WechatOutlined />,
  voice: <PhoneOutlined />,
};

export function ChannelIcon({ channel }: { channel: ChannelType }) {
  const { t } = useI18n();
  const label = t(`channel.${channel}`);
  return (
    <Tooltip title={label}>
      <span className={`zk-channel-icon zk-channel-${channel}`} role="img" aria-label={label}>
        {icons[channel]}
      </span>
    </Tooltip>
  );
}
