// The FAQ entries: search, tag filter, enable switch, edit drawer, delete with confirmation.
import { DeleteOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { KnowledgeFaq } from '@zhike/contracts';
import {
  App,
  Button,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { FaqDrawer } from './FaqDrawer.tsx';
import { ImportModal } from './ImportModal.tsx';
import { useFaqs } from './useFaqs.ts';

export function FaqTab({ canManage, onImported }: { canManage: boolean; onImported: () => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [q, setQ] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const { faqs, tags, reload } = useFaqs({ q, tag });
  const [editing, setEditing] = useState<KnowledgeFaq | 'new' | null>(null);
  const [importing, setImporting] = useState(false);

  const setEnabled = async (faq: KnowledgeFaq, enabled: boolean) => {
    try {
      await api.updateFaq(faq.id, { enabled });
      reload();
    } catch (error) {
      notifyError(error);
    }
  };
  const remove = async (faq: KnowledgeFaq) => {
    try {
      await api.deleteFaq(faq.id);
      message.success(t('knowledge.deleted'));
      reload();
    } catch (error) {
      notifyError(error);
    }
  };

  const columns: TableColumnsType<KnowledgeFaq> = [
    {
      key: 'question',
      title: t('knowledge.col.question'),
      dataIndex: 'question',
      width: '30%',
      render: (question: string, faq) => (
        <Button type="link" className="zk-link-cell" onClick={() => setEditing(faq)} disabled={!canManage}>
          {question}
        </Button>
      ),
    },
    {
      key: 'answer',
      title: t('knowledge.col.answer'),
      dataIndex: 'answer',
      ellipsis: true,
    },
    {
      key: 'tags',
      title: t('knowledge.col.tags'),
      dataIndex: 'tags',
      width: 140,
      render: (list: string[]) => list.map((x) => <Tag key={x}>{x}</Tag>),
    },
    {
      key: 'source',
      title: t('knowledge.col.source'),
      width: 120,
      render: (_, faq) =>
        faq.origin === null
          ? t('knowledge.source.own')
          : faq.edited
            ? t('knowledge.source.edited')
            : t('knowledge.source.template'),
    },
    {
      key: 'enabled',
      title: t('knowledge.col.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (enabled: boolean, faq) => (
        <Switch
          size="small"
          checked={enabled}
          disabled={!canManage}
          onChange={(next) => setEnabled(faq, next)}
          data-testid="kb-faq-enabled"
        />
      ),
    },
    ...(canManage
      ? [
          {
            key: 'actions',
            title: t('knowledge.col.actions'),
            width: 110,
            align: 'right' as const,
            render: (_: unknown, faq: KnowledgeFaq) => (
              <Space size={0}>
                <Button
                  type="text"
                  icon={<EditOutlined />}
                  aria-label={t('knowledge.edit')}
                  onClick={() => setEditing(faq)}
                />
                <Popconfirm
                  title={t('knowledge.deleteConfirm')}
                  okText={t('knowledge.delete')}
                  cancelText={t('knowledge.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove(faq)}
                >
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('knowledge.delete')}
                    data-testid="kb-faq-delete"
                  />
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <div className="zk-toolbar" style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('knowledge.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ maxWidth: 320 }}
          data-testid="kb-search"
        />
        <Select
          allowClear
          placeholder={t('knowledge.tagFilter')}
          value={tag}
          onChange={(value: string | undefined) => setTag(value ?? null)}
          options={tags.map((x) => ({ value: x, label: x }))}
          style={{ minWidth: 160 }}
          data-testid="kb-tag-filter"
        />
        <span style={{ flex: 1 }} />
        {canManage && (
          <>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="kb-import">
              {t('knowledge.import')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="kb-faq-add"
            >
              {t('knowledge.add')}
            </Button>
          </>
        )}
      </div>
      <Table<KnowledgeFaq>
        rowKey="id"
        columns={columns}
        dataSource={faqs ?? []}
        loading={faqs === null}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('knowledge.empty') }}
        scroll={{ x: 860 }}
        data-testid="kb-faq-table"
      />
      <FaqDrawer editing={editing} tagOptions={tags} onClose={() => setEditing(null)} onSaved={reload} />
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        onImported={() => {
          reload();
          onImported();
        }}
      />
    </>
  );
}
