import { ArrowLeftOutlined, CheckOutlined, IdcardOutlined, RedoOutlined } from '@ant-design/icons';
import type { Conversation, ConversationStatus, Message } from '@zhike/contracts';
import { App, Button, Space, Tooltip } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { CreateTicketAction } from '../tickets/CreateTicketAction.tsx';
import { TranslationSwitch } from '../translation/TranslationSwitch.tsx';
import { ChannelIcon } from '../ui/ChannelIcon.tsx';
import { ConversationTags } from '../ui/ConversationTags.tsx';
import { customerLabel } from '../ui/labels.ts';
import { AssignControl } from './AssignControl.tsx';

type Props = {
  conversation: Conversation;
  /** The messages loaded so far: the create-ticket form guesses its title from them. */
  messages: readonly Message[];
  busy: 'assign' | 'status' | null;
  onAssign: (assigneeId: string | null) => Promise<boolean>;
  onStatus: (status: ConversationStatus) => Promise<boolean>;
  onBack: () => void;
  onShowCustomer: () => void;
};

export function ConversationHeader({
  conversation,
  messages,
  busy,
  onAssign,
  onStatus,
  onBack,
  onShowCustomer,
}: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const resolved = conversation.status === 'resolved';

  const changeStatus = async () => {
    const next = resolved ? 'open' : 'resolved';
    if (await onStatus(next))
      message.success(t(next === 'resolved' ? 'conversation.resolved' : 'conversation.reopened'));
  };

  return (
    <header className="zk-conversation-header">
      <div className="zk-conversation-title">
        <Button
          type="text"
          icon={<ArrowLeftOutlined />}
          onClick={onBack}
          aria-label={t('conversation.back')}
          className="zk-back-button"
        />
        <h3 className="zk-conversation-name">{customerLabel(conversation.customer, t)}</h3>
        <ChannelIcon channel={conversation.channel} />
        <span className="zk-conversation-tags">
          <ConversationTags conversation={conversation} />
        </span>
      </div>
      <Space wrap size="small" className="zk-conversation-actions">
        <TranslationSwitch conversationId={conversation.id} updatedAt={conversation.updatedAt} />
        <AssignControl conversation={conversation} busy={busy === 'assign'} onAssign={onAssign} />
        <CreateTicketAction conversation={conversation} messages={messages} />
        {resolved ? (
          <Button
            icon={<RedoOutlined />}
            loading={busy === 'status'}
            onClick={changeStatus}
            data-testid="reopen"
          >
            {t('conversation.reopen')}
          </Button>
        ) : (
          <Button
            type="primary"
            icon={<CheckOutlined />}
            loading={busy === 'status'}
            onClick={changeStatus}
            data-testid="resolve"
          >
            {t('conversation.resolve')}
          </Button>
        )}
        <Tooltip title={t('conversation.customerPanel')}>
          <Button
            icon={<IdcardOutlined />}
            onClick={onShowCustomer}
            aria-label={t('conversation.customerPanel')}
            className="zk-customer-toggle"
          />
        </Tooltip>
      </Space>
    </header>
  );
}
