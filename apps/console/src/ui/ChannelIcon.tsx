import { ApiOutlined, GlobalOutlined } from '@ant-design/icons';
import type { ChannelType } from '@zhike/contracts';
import { Tooltip } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';

export function ChannelIcon({ channel }: { channel: ChannelType }) {
  const { t } = useI18n();
  const label = t(`channel.${channel}`);
  return (
    <Tooltip title={label}>
      <span className={`zk-channel-icon zk-channel-${channel}`} role="img" aria-label={label}>
        {channel === 'api' ? <ApiOutlined /> : <GlobalOutlined />}
      </span>
    </Tooltip>
  );
}
