// A message under live translation: agents read their language first (the translation of a customer
// message, or the words they wrote for a reply the customer received translated), the other version one
// click away.
import type { Message } from '@zhike/contracts';
import { Button } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { languageLabel } from './languageLabel.ts';

type Props = { message: Message & { translation: NonNullable<Message['translation']> } };

export function TranslatedText({ message }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const { translation } = message;
  // For a customer message the machine wrote the translation; for a reply it wrote what was sent.
  const other =
    translation.machine === 'translation'
      ? t('translation.original', { language: languageLabel(message.language, t) })
      : t('translation.sentAs', { language: languageLabel(message.language, t) });
  return (
    <>
      <span data-testid="message-translation">{translation.text}</span>
      <span className="zk-translation-note">
        {translation.machine === 'translation' && <span>{t('translation.machine')} · </span>}
        <Button
          type="link"
          size="small"
          className="zk-translation-toggle"
          onClick={() => setOpen((v) => !v)}
          data-testid="show-original"
        >
          {open
            ? t('translation.hideOriginal')
            : translation.machine === 'translation'
              ? t('translation.showOriginal')
              : t('translation.showSent')}
        </Button>
      </span>
      {open && (
        <span className="zk-translation-original" data-testid="message-original">
          <span className="zk-translation-original-label">{other}</span>
          {message.text}
        </span>
      )}
    </>
  );
}
