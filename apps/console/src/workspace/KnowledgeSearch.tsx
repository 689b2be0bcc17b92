// A compact knowledge-base search beside the conversation: the same understanding and retrieval the bot
// answers with (POST /knowledge/search stores and sends nothing), each result one click from the reply box.
import type { KnowledgeSearchHit } from '@zhike/contracts';
import { App, Button, Card, Empty, Input, List, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Results = { query: string; hits: KnowledgeSearchHit[] } | { query: string; notReady: true };

export function KnowledgeSearch({ insert }: { insert: (text: string) => boolean }) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [results, setResults] = useState<Results | null>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);

  if (!can(session, 'knowledge.read')) return null;

  const search = async (raw: string) => {
    const query = raw.trim();
    if (!query) return setResults(null);
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const found = await api.searchKnowledge({ text: query.slice(0, 500) });
      if (ticket === latest.current) setResults({ query, hits: found.hits });
    } catch (error) {
      if (ticket !== latest.current) return;
      if (error instanceof ApiError && error.code === 'conflict') setResults({ query, notReady: true });
      else notifyError(error);
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  };

  return (
    <Card size="small" title={t('knowledgeSearch.title')} className="zk-knowledge-search">
      <Input.Search
        allowClear
        placeholder={t('knowledgeSearch.placeholder')}
        aria-label={t('knowledgeSearch.title')}
        loading={loading}
        onSearch={(value) => void search(value)}
        maxLength={500}
        data-testid="knowledge-search-input"
      />
      {results && 'notReady' in results && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('knowledgeSearch.notReady')}
        </Typography.Paragraph>
      )}
      {results && 'hits' in results && (
        <List
          size="small"
          style={{ marginTop: 8 }}
          data-testid="knowledge-search-results"
          dataSource={results.hits}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('knowledgeSearch.empty')} />
            ),
          }}
          renderItem={(p) => (
            <List.Item
              key={p.id}
              actions={[
                <Button
                  key="insert"
                  size="small"
                  onClick={() => {
                    if (insert(p.text)) message.success(t('knowledgeSearch.inserted'));
                  }}
                  data-testid="knowledge-search-insert"
                >
                  {t('knowledgeSearch.insert')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <span>
                    <Tag>{t(p.kind === 'faq' ? 'knowledgeSearch.faq' : 'knowledgeSearch.article')}</Tag>
                    {p.title}
                  </span>
                }
                description={
                  <Typography.Paragraph
                    ellipsis={{ rows: 3, expandable: true, symbol: '…' }}
                    style={{ marginBottom: 0 }}
                  >
                    {p.text}
                  </Typography.Paragraph>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
