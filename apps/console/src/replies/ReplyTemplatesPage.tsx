// Settings → 快捷回复 (#/settings/replies): the workspace's canned replies (search, compliance and
// industry-template marks) and the editor. Agents read the list; admins and owners write.
import type { ReplyTemplate, ReplyTemplateBody } from '@zhike/contracts';
import { App, Button, Card, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { ReplyTemplateEditor } from './ReplyTemplateEditor.tsx';
import { useReplyOptions } from './useReplyOptions.ts';

export function ReplyTemplatesPage() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const manage = can(session, 'replies.manage');
  const [templates, setTemplates] = useState<ReplyTemplate[] | null>(null);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<{ template: ReplyTemplate | null } | null>(null);
  // Intents are stored by id; the table names them as the bot does (the label), the id in the tooltip.
  const options = useReplyOptions();
  const intentLabels = useMemo(() => new Map(options.intents.map((i) => [i.id, i.label])), [options]);

  const load = useCallback(
    (signal?: AbortSignal) => {
      api
        .listReplyTemplates(q.trim() ? { q: q.trim() } : {}, signal)
        .then((r) => setTemplates(r.templates), notifyError);
    },
    [api, notifyError, q],
  );
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const save = async (body: ReplyTemplateBody) => {
    const template = editing?.template;
    if (template) await api.updateReplyTemplate(template.id, body);
    else await api.createReplyTemplate(body);
    message.success(t('replies.saved'));
    setEditing(null);
    load();
  };

  const archive = async (template: ReplyTemplate) => {
    try {
      await api.archiveReplyTemplate(template.id);
      message.success(t('replies.archived'));
      load();
    } catch (error) {
      notifyError(error);
    }
  };

  return (
    <div className="zk-page" data-testid="replies-page">
      <Typography.Title level={4}>{t('replies.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('replies.intro')}</Typography.Paragraph>
      <Card
        title={
          <Input.Search
            allowClear
            placeholder={t('replies.search')}
            onSearch={setQ}
            style={{ maxWidth: 320 }}
            data-testid="replies-search"
          />
        }
        extra={
          manage && (
            <Button type="primary" onClick={() => setEditing({ template: null })} data-testid="replies-add">
              {t('replies.add')}
            </Button>
          )
        }
      >
        <Table<ReplyTemplate>
          rowKey="id"
          size="small"
          loading={templates === null}
          dataSource={templates ?? []}
          pagination={false}
          locale={{ emptyText: t('replies.empty') }}
          data-testid="replies-list"
          rowClassName={(r) => (r.compliance ? 'zk-reply-compliance' : '')}
          columns={[
            {
              title: t('replies.col.shortcut'),
              width: 140,
              render: (_v, r) => <Typography.Text code>/{r.shortcut}</Typography.Text>,
            },
            {
              title: t('replies.col.title'),
              render: (_v, r) => (
                <Space direction="vertical" size={2}>
                  <Space size={4} wrap>
                    <span>{r.title}</span>
                    {r.compliance && <Tag color="gold">{t('replies.compliance')}</Tag>}
                    {r.source && <Tag>{t('replies.fromTemplate')}</Tag>}
                  </Space>
                  <Typography.Text type="secondary" ellipsis={{ tooltip: r.body }} style={{ maxWidth: 480 }}>
                    {r.body}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('replies.col.intents'),
              width: 200,
              render: (_v, r) =>
                r.intents.length === 0 ? (
                  <Typography.Text type="secondary">{t('replies.anyIntent')}</Typography.Text>
                ) : (
                  <Space size={[4, 4]} wrap>
                    {r.intents.map((i) => (
                      <Tag key={i} title={i}>
                        {intentLabels.get(i) ?? i}
                      </Tag>
                    ))}
                  </Space>
                ),
            },
            ...(manage
              ? [
                  {
                    title: t('replies.col.actions'),
                    width: 140,
                    render: (_v: unknown, r: ReplyTemplate) => (
                      <Space size={0}>
                        <Button type="link" size="small" onClick={() => setEditing({ template: r })}>
                          {t('replies.edit')}
                        </Button>
                        <Popconfirm title={t('replies.archiveConfirm')} onConfirm={() => void archive(r)}>
                          <Button type="link" size="small" danger>
                            {t('replies.archive')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <ReplyTemplateEditor
        open={editing !== null}
        template={editing?.template ?? null}
        defaultLocale={session.workspace.locale}
        onClose={() => setEditing(null)}
        onSave={save}
      />
    </div>
  );
}
