// Articles: a list, and a drawer with a Markdown editor beside its preview.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { KnowledgeArticle } from '@zhike/contracts';
import {
  App,
  Button,
  Col,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { MarkdownPreview } from './MarkdownPreview.tsx';

interface FormValues {
  title: string;
  body: string;
  tags: string[];
  sourceUrl: string;
  enabled: boolean;
}

export function ArticlesTab({ canManage, generation }: { canManage: boolean; generation: number }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [articles, setArticles] = useState<KnowledgeArticle[] | null>(null);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<KnowledgeArticle | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const body = Form.useWatch('body', form) ?? '';
  const load = useCallback(
    (signal?: AbortSignal) =>
      api.listArticles(q.trim() ? { q: q.trim() } : {}, signal).then(
        (r) => setArticles(r.articles),
        (error: unknown) => notifyError(error),
      ),
    [api, notifyError, q],
  );
  const reload = useCallback(() => void load(), [load]);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => void load(controller.signal), 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [load]);

  // An import on the FAQ tab may have added an article.
  useEffect(() => {
    if (generation > 0) void load();
  }, [generation, load]);

  useEffect(() => {
    if (!editing) return;
    form.setFieldsValue(
      editing === 'new'
        ? { title: '', body: '', tags: [], sourceUrl: '', enabled: true }
        : { ...editing, sourceUrl: editing.sourceUrl ?? '' },
    );
  }, [editing, form]);

  const save = async (values: FormValues) => {
    const payload = {
      title: values.title.trim(),
      body: values.body,
      tags: values.tags,
      enabled: values.enabled,
      sourceUrl: values.sourceUrl.trim() || null,
    };
    setSaving(true);
    try {
      if (editing === 'new') await api.createArticle(payload);
      else if (editing) await api.updateArticle(editing.id, { ...payload, version: editing.version });
      message.success(t('knowledge.saved'));
      setEditing(null);
      reload();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'conflict') message.error(t('knowledge.conflict'));
      else notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableColumnsType<KnowledgeArticle> = [
    {
      key: 'title',
      title: t('knowledge.article.title'),
      dataIndex: 'title',
      render: (title: string, article) => (
        <Button
          type="link"
          className="zk-link-cell"
          onClick={() => setEditing(article)}
          disabled={!canManage}
        >
          {title}
        </Button>
      ),
    },
    {
      key: 'tags',
      title: t('knowledge.col.tags'),
      dataIndex: 'tags',
      render: (list: string[]) => list.map((x) => <Tag key={x}>{x}</Tag>),
    },
    {
      key: 'updatedAt',
      title: t('knowledge.col.updatedAt'),
      dataIndex: 'updatedAt',
      width: 160,
      render: (at: string) => formatDateTime(at, locale),
    },
    {
      key: 'enabled',
      title: t('knowledge.col.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (enabled: boolean, article) => (
        <Switch
          size="small"
          checked={enabled}
          disabled={!canManage}
          onChange={async (next) => {
            try {
              await api.updateArticle(article.id, { enabled: next });
              reload();
            } catch (error) {
              notifyError(error);
            }
          }}
        />
      ),
    },
    ...(canManage
      ? [
          {
            key: 'actions',
            title: t('knowledge.col.actions'),
            width: 80,
            align: 'right' as const,
            render: (_: unknown, article: KnowledgeArticle) => (
              <Popconfirm
                title={t('knowledge.article.deleteConfirm')}
                okText={t('knowledge.delete')}
                cancelText={t('knowledge.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={async () => {
                  try {
                    await api.deleteArticle(article.id);
                    message.success(t('knowledge.deleted'));
                    reload();
                  } catch (error) {
                    notifyError(error);
                  }
                }}
              >
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('knowledge.delete')} />
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <div style={{ display: 'flex', gap: 8, marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('knowledge.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ maxWidth: 320 }}
        />
        <span style={{ flex: 1 }} />
        {canManage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="kb-article-add"
          >
            {t('knowledge.article.add')}
          </Button>
        )}
      </div>
      <Table<KnowledgeArticle>
        rowKey="id"
        columns={columns}
        dataSource={articles ?? []}
        loading={articles === null}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('knowledge.article.empty') }}
        scroll={{ x: 700 }}
      />
      <Drawer
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('knowledge.article.drawerNew') : t('knowledge.article.drawerEdit')}
        size="large"
        width={960}
        destroyOnHidden
        extra={
          <Space>
            <Button onClick={() => setEditing(null)}>{t('knowledge.cancel')}</Button>
            <Button
              type="primary"
              loading={saving}
              onClick={() => form.submit()}
              data-testid="kb-article-save"
            >
              {t('knowledge.save')}
            </Button>
          </Space>
        }
      >
        <Form<FormValues> form={form} layout="vertical" onFinish={save}>
          <Form.Item
            name="title"
            label={t('knowledge.article.title')}
            rules={[
              { required: true, whitespace: true, max: 200, message: t('knowledge.article.titleRequired') },
            ]}
          >
            <Input maxLength={200} data-testid="kb-article-title" />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Form.Item
                name="body"
                label={t('knowledge.article.body')}
                extra={t('knowledge.article.bodyHelp')}
                rules={[{ required: true, whitespace: true, message: t('knowledge.article.bodyRequired') }]}
              >
                <Input.TextArea
                  autoSize={{ minRows: 14, maxRows: 30 }}
                  maxLength={50_000}
                  data-testid="kb-article-body"
                />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12}>
              <div className="ant-form-item-label">
                <span>{t('knowledge.article.preview')}</span>
              </div>
              <MarkdownPreview source={body} />
            </Col>
          </Row>
          <Form.Item
            name="sourceUrl"
            label={t('knowledge.article.sourceUrl')}
            rules={[{ pattern: /^(https?:\/\/\S+)?$/, message: t('knowledge.article.sourceUrlInvalid') }]}
          >
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="tags" label={t('knowledge.field.tags')} extra={t('knowledge.field.tagsHelp')}>
            <Select mode="tags" maxCount={20} />
          </Form.Item>
          <Form.Item name="enabled" label={t('knowledge.field.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Drawer>
    </>
  );
}
