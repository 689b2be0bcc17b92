// The reply box's paperclip: an agent sends an image or PDF (≤ 10 MB) to the customer. The message
// arrives in the list through the live feed like any other.
import { PaperClipOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function AttachButton({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const picker = useRef<HTMLInputElement>(null);
  const [sending, setSending] = useState(false);

  const send = async (file: File) => {
    setSending(true);
    try {
      await api.uploadAttachment(conversationId, file, session.csrfToken);
    } catch (error) {
      notifyError(error);
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <input
        ref={picker}
        type="file"
        accept="image/jpeg,image/png,image/gif,image/webp,application/pdf"
        hidden
        data-testid="reply-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void send(file);
        }}
      />
      <Button
        icon={<PaperClipOutlined />}
        loading={sending}
        onClick={() => picker.current?.click()}
        aria-label={t('privacy.attach')}
        title={t('privacy.attach')}
        data-testid="reply-attach"
      />
    </>
  );
}
