// Step 4: the line that puts the chat on the shop's website.
import type { Inbox } from '@zhike/contracts';
import { Alert, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { widgetSnippet } from '../settings/widgetSnippet.ts';
import { CopyButton } from '../ui/CopyButton.tsx';

export function SnippetStep({ inbox }: { inbox: Inbox | null }) {
  const { t } = useI18n();
  if (!inbox?.widgetToken) return <Alert type="warning" showIcon title={t('setup.snippet.noInbox')} />;
  const snippet = widgetSnippet(window.location.origin, inbox.widgetToken);
  return (
    <section>
      <Typography.Title level={4}>{t('setup.snippet.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('setup.snippet.help')}</Typography.Paragraph>
      <div className="zk-code-row">
        <pre className="zk-code" data-testid="setup-snippet">
          {snippet}
        </pre>
        <CopyButton text={snippet} data-testid="setup-snippet-copy" />
      </div>
      <Alert type="info" showIcon className="zk-setup-note" title={t('setup.snippet.origins')} />
    </section>
  );
}
