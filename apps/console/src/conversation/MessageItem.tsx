import { PaperClipOutlined } from '@ant-design/icons';
import type { Message } from '@zhike/contracts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { AttachmentThumb } from '../privacy/AttachmentThumb.tsx';
import { TranslatedText } from '../translation/TranslatedText.tsx';
import { formatDateTime, formatMessageTime } from '../ui/time.ts';
import { DeliveryStatus } from './DeliveryStatus.tsx';
import { MessageSources } from './MessageSources.tsx';

type Props = { message: Message; customerName: string; isMine: boolean; now: number };

const safeUrl = (url: string | undefined) => (url && /^https?:\/\//i.test(url) ? url : undefined);

/** One message; text is rendered as text (React escapes it), never as HTML. */
export function MessageItem({ message, customerName, isMine, now }: Props) {
  const { t, locale } = useI18n();
  const author =
    message.author === 'customer'
      ? customerName
      : message.author === 'agent'
        ? isMine
          ? t('author.you')
          : (message.authorName ?? t('author.agent'))
        : t(`author.${message.author}`);
  const time = (
    <time dateTime={message.createdAt} title={formatDateTime(message.createdAt, locale)}>
      {formatMessageTime(message.createdAt, now, locale)}
    </time>
  );
  if (message.author === 'system') {
    return (
      <div
        className="zk-msg zk-msg-system"
        data-testid="message"
        data-author="system"
        data-message-id={message.id}
      >
        <span className="zk-msg-system-text">{message.text}</span> {time}
        {message.delivery && <DeliveryStatus delivery={message.delivery} />}
      </div>
    );
  }
  return (
    <div
      className={`zk-msg zk-msg-${message.author}`}
      data-testid="message"
      data-author={message.author}
      data-message-id={message.id}
    >
      <div className="zk-msg-meta">
        <span className="zk-msg-author">{author}</span>
        {time}
        {message.delivery && <DeliveryStatus delivery={message.delivery} />}
      </div>
      <div className="zk-msg-bubble">
        {message.translation ? (
          <TranslatedText message={{ ...message, translation: message.translation }} />
        ) : (
          message.text
        )}
        {message.attachments.length > 0 && (
          <ul className="zk-msg-attachments">
            {message.attachments.map((a) => {
              if (a.id)
                return (
                  <li key={a.id}>
                    <AttachmentThumb attachment={{ ...a, id: a.id }} />
                  </li>
                );
              const url = safeUrl(a.url);
              return (
                <li key={`${a.name}-${a.size}`}>
                  <PaperClipOutlined />{' '}
                  {url ? (
                    <a href={url} target="_blank" rel="noopener noreferrer">
                      {a.name}
                    </a>
                  ) : (
                    a.name
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {message.author === 'bot' && <MessageSources message={message} />}
    </div>
  );
}
