// Reply suggestions beside the conversation: each with where it comes from (知识库 / 话术模板 /
// 历史回复), compliance wording pinned and highlighted, one click (or Alt+1/2/3) from the reply box.
import type { Suggestion } from '@zhike/contracts';
import { App, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';

type Props = {
  suggestions: Suggestion[];
  loading: boolean;
  messageId: string | null;
  /** Puts suggestion `rank` into the reply box; false when it could not (the box is busy or gone). */
  insert: (rank: number) => boolean;
};

const SOURCE_COLOR = { knowledge: 'blue', template: 'purple', history: 'green' } as const;

/** Alt+1…3 (read from `code`: Option+1 types "¡" on macOS) inserts suggestion 1–3, even while typing. */
export function suggestionKey(
  event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>,
) {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const match = /^(?:Digit|Numpad)([1-3])$/.exec(event.code);
  return match ? Number(match[1]) : null;
}

export function SuggestionsPanel({ suggestions, loading, messageId, insert }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const insertRank = (rank: number) => {
    if (insert(rank)) message.success(t('suggestions.inserted'));
  };
  // The key listener is bound once; it reads the latest suggestions and handler through this ref.
  const latest = useRef({ insertRank, suggestions });
  latest.current = { insertRank, suggestions };

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const rank = suggestionKey(event);
      if (rank === null || event.repeat || event.isComposing) return;
      if (!latest.current.suggestions.some((s) => s.rank === rank)) return;
      event.preventDefault();
      latest.current.insertRank(rank);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <Card
      size="small"
      title={t('suggestions.title')}
      className="zk-suggestions"
      loading={loading}
      data-testid="suggestions-panel"
      data-message-id={messageId ?? ''}
    >
      {suggestions.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={messageId ? t('suggestions.none') : t('suggestions.empty')}
        />
      ) : (
        <List
          size="small"
          dataSource={suggestions}
          renderItem={(s) => (
            <List.Item
              key={`${s.source.kind}:${s.source.id}`}
              className={s.pinned ? 'zk-suggestion zk-suggestion-pinned' : 'zk-suggestion'}
              data-testid={`suggestion-${s.rank}`}
              data-source={s.source.kind}
              data-pinned={s.pinned ? 'true' : 'false'}
            >
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                <Space size={4} wrap>
                  {s.pinned && <Tag color="red">{t('suggestions.compliance')}</Tag>}
                  <Tag color={SOURCE_COLOR[s.source.kind]}>{t(`suggestions.source.${s.source.kind}`)}</Tag>
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 180 }} title={s.source.label}>
                    {s.source.label}
                  </Typography.Text>
                </Space>
                <Typography.Paragraph ellipsis={{ rows: 4, expandable: true }} style={{ marginBottom: 0 }}>
                  {s.text}
                </Typography.Paragraph>
                {s.missingVariables.length > 0 && (
                  <Typography.Text type="warning">
                    {t('suggestions.missing', {
                      names: s.missingVariables.map((v) => `{{${v}}}`).join('、'),
                    })}
                  </Typography.Text>
                )}
                <Space size={8}>
                  <Button
                    size="small"
                    type="primary"
                    ghost
                    onClick={() => insertRank(s.rank)}
                    data-testid={`suggestion-insert-${s.rank}`}
                  >
                    {t('suggestions.insert')}
                  </Button>
                  {s.rank <= 3 && (
                    <Typography.Text type="secondary">
                      {t('suggestions.keyHint', { n: s.rank })}
                    </Typography.Text>
                  )}
                </Space>
              </Space>
            </List.Item>
          )}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
        {t('suggestions.help')}
      </Typography.Paragraph>
    </Card>
  );
}
