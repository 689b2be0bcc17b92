import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ApiKey } from '@zhike/contracts';
import { App, Button, Popconfirm, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { CreateApiKeyModal } from './CreateApiKeyModal.tsx';
import { useApiKeys } from './useApiKeys.ts';

export function ApiKeysPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const { keys, create, revoke } = useApiKeys();
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<ApiKey> = [
    { key: 'name', title: t('apiKeys.name'), dataIndex: 'name' },
    {
      key: 'prefix',
      title: t('apiKeys.prefix'),
      dataIndex: 'prefix',
      render: (prefix: string) => <code className="zk-inline-code">{prefix}…</code>,
    },
    {
      key: 'createdAt',
      title: t('apiKeys.createdAt'),
      dataIndex: 'createdAt',
      render: (at: string) => formatDateTime(at, locale),
    },
    {
      key: 'lastUsedAt',
      title: t('apiKeys.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      render: (at: string | null) =>
        at ? (
          formatDateTime(at, locale)
        ) : (
          <Typography.Text type="secondary">{t('apiKeys.never')}</Typography.Text>
        ),
    },
    {
      key: 'actions',
      title: t('apiKeys.actions'),
      align: 'right',
      render: (_, key) => (
        <Popconfirm
          title={t('apiKeys.revokeConfirm')}
          okText={t('apiKeys.revoke')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={async () => {
            if (await revoke(key.id)) message.success(t('apiKeys.revoked'));
          }}
        >
          <Button danger type="text" icon={<DeleteOutlined />} data-testid="api-key-revoke">
            {t('apiKeys.revoke')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <div className="zk-page">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('apiKeys.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('apiKeys.intro')}</Typography.Paragraph>
        </div>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="api-key-create"
        >
          {t('apiKeys.create')}
        </Button>
      </div>
      <Table<ApiKey>
        rowKey="id"
        columns={columns}
        dataSource={keys ?? []}
        loading={keys === null}
        pagination={false}
        locale={{ emptyText: t('apiKeys.empty') }}
        scroll={{ x: 640 }}
        data-testid="api-key-table"
      />
      <CreateApiKeyModal open={creating} onCreate={create} onClose={() => setCreating(false)} />
    </div>
  );
}
