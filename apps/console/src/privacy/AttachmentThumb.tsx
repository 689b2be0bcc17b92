// An uploaded attachment in the agent's message list: images as a thumbnail that opens the full file,
// PDFs as a link. Both come from the cookie-authenticated download route.

import { FilePdfOutlined } from '@ant-design/icons';
import type { Attachment } from '@zhike/contracts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import './privacy.css';

export function AttachmentThumb({ attachment }: { attachment: Attachment & { id: string } }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const href = api.attachmentUrl(attachment.id);
  if (attachment.mimeType.startsWith('image/'))
    return (
      <a href={href} target="_blank" rel="noopener noreferrer" title={t('privacy.attachment.open')}>
        <img
          className="zk-attachment-thumb"
          src={href}
          alt={attachment.name}
          loading="lazy"
          data-testid="attachment-thumb"
        />
      </a>
    );
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" data-testid="attachment-file">
      <FilePdfOutlined /> {attachment.name}
    </a>
  );
}
