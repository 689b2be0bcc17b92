import { RobotOutlined } from '@ant-design/icons';
import type { Conversation } from '@zhike/contracts';
import { Tag } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';

const statusColor = { open: 'blue', pending: 'gold', resolved: 'green' } as const;
const priorityColor = { low: 'default', normal: 'default', high: 'orange', urgent: 'red' } as const;

/** Status, non-default priority and the hand-off marker, in that order. */
export function ConversationTags({ conversation }: { conversation: Conversation }) {
  const { t } = useI18n();
  return (
    <>
      <Tag color={statusColor[conversation.status]}>{t(`status.${conversation.status}`)}</Tag>
      {conversation.priority !== 'normal' && (
        <Tag color={priorityColor[conversation.priority]}>{t(`priority.${conversation.priority}`)}</Tag>
      )}
      {conversation.handedOff && (
        <Tag icon={<RobotOutlined />} color="purple" data-testid="handed-off">
          {t('inbox.handedOff')}
        </Tag>
      )}
    </>
  );
}
