import type { Conversation } from '@zhike/contracts';
import { Avatar, Badge, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { ChannelIcon } from '../ui/ChannelIcon.tsx';
import { ConversationTags } from '../ui/ConversationTags.tsx';
import { customerLabel } from '../ui/labels.ts';
import { formatDateTime, timeAgo } from '../ui/time.ts';

type Props = {
  conversation: Conversation;
  selected: boolean;
  unread: boolean;
  now: number;
  onSelect: (id: string) => void;
};

export function ConversationListItem({ conversation, selected, unread, now, onSelect }: Props) {
  const { t, locale } = useI18n();
  const name = customerLabel(conversation.customer, t);
  const last = conversation.lastMessage;
  const activity = last?.createdAt ?? conversation.updatedAt;
  const preview = last
    ? last.author === 'customer'
      ? last.text
      : `${t(`author.${last.author}`)}: ${last.text}`
    : t('inbox.noMessages');
  return (
    <button
      type="button"
      className={`zk-conv-item${selected ? ' is-selected' : ''}${unread ? ' is-unread' : ''}`}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      data-status={conversation.status}
      data-unread={unread ? 'true' : undefined}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(conversation.id)}
    >
      <Badge dot={unread} offset={[-4, 4]} color="#ef4444">
        <Avatar className="zk-conv-avatar" size={36}>
          {[...name][0]}
        </Avatar>
      </Badge>
      <div className="zk-conv-body">
        <div className="zk-conv-line">
          <span className="zk-conv-name">{name}</span>
          <ChannelIcon channel={conversation.channel} />
          <time className="zk-conv-time" dateTime={activity} title={formatDateTime(activity, locale)}>
            {timeAgo(activity, now, locale)}
          </time>
        </div>
        <Typography.Text type="secondary" ellipsis className="zk-conv-preview">
          {preview}
        </Typography.Text>
        <div className="zk-conv-meta">
          <span className="zk-conv-tags">
            <ConversationTags conversation={conversation} />
          </span>
          <span className="zk-conv-assignee">{conversation.assignee?.name ?? t('inbox.unassigned')}</span>
        </div>
      </div>
    </button>
  );
}
