// 知识库 / Knowledge base: FAQ entries and articles the bot answers from, import, and "try it".
import { Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { ArticlesTab } from './ArticlesTab.tsx';
import { FaqTab } from './FaqTab.tsx';
import { TryIt } from './TryIt.tsx';

export function KnowledgePage() {
  const { t } = useI18n();
  const { session } = useSignedIn();
  const canManage = can(session, 'knowledge.manage');
  // Bumped after an import, which may have added an article.
  const [imports, setImports] = useState(0);
  return (
    <div className="zk-page" style={{ maxWidth: 1280 }} data-testid="kb-page">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('knowledge.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('knowledge.intro')}</Typography.Paragraph>
        </div>
      </div>
      <TryIt />
      <Tabs
        items={[
          {
            key: 'faqs',
            label: t('knowledge.tab.faqs'),
            children: <FaqTab canManage={canManage} onImported={() => setImports((n) => n + 1)} />,
          },
          {
            key: 'articles',
            label: <span data-testid="kb-tab-articles">{t('knowledge.tab.articles')}</span>,
            children: <ArticlesTab canManage={canManage} generation={imports} />,
          },
        ]}
      />
    </div>
  );
}
