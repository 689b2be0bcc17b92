import { SendOutlined } from '@ant-design/icons';
import type { Conversation } from '@zhike/contracts';
import { MAX_MESSAGE_TEXT } from '@zhike/contracts/protocol';
import { Button, Input } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { type KeyboardEvent, useCallback, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { AttachButton } from '../privacy/AttachButton.tsx';
import { ShortcutCompletion } from '../replies/ShortcutCompletion.tsx';
import { UnfilledVariables } from '../replies/UnfilledVariables.tsx';
import { useShortcutCompletion } from '../replies/useShortcutCompletion.ts';

type Props = {
  conversation: Conversation;
  onSend: (text: string, clientMessageId: string) => Promise<boolean>;
};

export function ReplyBox({ conversation, onSend }: Props) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  // One id per draft: retrying a failed send cannot store the message twice.
  const draftId = useRef<string>(crypto.randomUUID());
  const input = useRef<TextAreaRef>(null);
  const replace = useCallback((next: string, caret: number) => {
    setText(next);
    setTimeout(() => {
      const area = input.current?.resizableTextArea?.textArea;
      area?.focus();
      area?.setSelectionRange(caret, caret);
    }, 0);
  }, []);
  const completion = useShortcutCompletion({ conversationId: conversation.id, text, replace });
  const trimmed = text.trim();
  const tooLong = text.length > MAX_MESSAGE_TEXT;

  const send = async () => {
    if (!trimmed || tooLong || sending) return;
    setSending(true);
    const ok = await onSend(trimmed, draftId.current);
    setSending(false);
    if (ok) {
      setText('');
      draftId.current = crypto.randomUUID();
    }
    // Focus returns after the textarea is enabled again.
    setTimeout(() => input.current?.focus(), 0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (completion.onKeyDown(event)) return;
    // While an IME is composing (pinyin), Enter confirms the candidate, it must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229)
      return;
    event.preventDefault();
    void send();
  };

  return (
    <div className="zk-reply">
      {conversation.status === 'resolved' && <div className="zk-reply-hint">{t('reply.resolvedHint')}</div>}
      <ShortcutCompletion completion={completion} />
      <div className="zk-reply-row">
        <Input.TextArea
          ref={input}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            completion.onTextChange(e.target.value, e.target.selectionStart);
            if (e.target.value === '') draftId.current = crypto.randomUUID();
          }}
          onBlur={completion.close}
          onKeyDown={onKeyDown}
          placeholder={t('reply.placeholder')}
          autoSize={{ minRows: 2, maxRows: 8 }}
          disabled={sending}
          status={tooLong ? 'error' : undefined}
          data-testid="reply-input"
          aria-label={t('reply.placeholder')}
        />
        <AttachButton conversationId={conversation.id} />
        <Button
          type="primary"
          icon={<SendOutlined />}
          onClick={() => void send()}
          loading={sending}
          disabled={!trimmed || tooLong}
          data-testid="reply-send"
        >
          {t('reply.send')}
        </Button>
      </div>
      <UnfilledVariables text={text} />
      {tooLong && <div className="zk-reply-error">{t('reply.tooLong', { max: MAX_MESSAGE_TEXT })}</div>}
    </div>
  );
}
