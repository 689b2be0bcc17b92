// #/settings/audit (owners): the workspace's audit entries with filters, newest first; export as CSV or
// JSON lines (the download starts with the chain verification) and verify the hash chain on demand.
import type { AuditEntry, AuditQuery, AuditVerification } from '@zhike/contracts';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';

// The audited actions (packages/security/src/audit/actions.ts), offered as filter choices; the filter
// also takes any other well-formed name typed in.
const ACTIONS = [
  'auth.signed_in',
  'auth.sign_in_failed',
  'auth.signed_out',
  'auth.locked_out',
  'auth.totp_enabled',
  'auth.totp_disabled',
  'session.revoked',
  'settings.changed',
  'api_key.created',
  'api_key.deleted',
  'pii.revealed',
  'customer.exported',
  'customer.erased',
  'consent.changed',
  'keys.master_rotated',
  'keys.data_rotated',
  'audit.exported',
  'audit.pruned',
];

type Filters = { from?: Dayjs | null; to?: Dayjs | null; actor?: string; action?: string };

const toQuery = (f: Filters): Omit<AuditQuery, 'cursor' | 'limit'> => ({
  ...(f.from ? { from: f.from.toDate().toISOString() } : {}),
  ...(f.to ? { to: f.to.toDate().toISOString() } : {}),
  ...(f.actor?.trim() ? { actor: f.actor.trim() } : {}),
  ...(f.action ? { action: f.action } : {}),
});

export function AuditPage() {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [query, setQuery] = useState<Omit<AuditQuery, 'cursor' | 'limit'>>({});
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(
    async (q: typeof query, after: string | null) => {
      try {
        const page = await api.listAudit({ ...q, limit: 50, ...(after ? { cursor: after } : {}) });
        setEntries((prev) => (after && prev ? [...prev, ...page.entries] : page.entries));
        setCursor(page.nextCursor);
      } catch (error) {
        notifyError(error);
      }
    },
    [api, notifyError],
  );
  useEffect(() => {
    setEntries(null);
    void load(query, null);
  }, [load, query]);

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await api.verifyAudit());
    } catch (error) {
      notifyError(error);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <div className="zk-page" data-testid="audit-page">
      <Typography.Title level={4}>{t('security.audit.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('security.audit.intro')}</Typography.Paragraph>
      <Card>
        <Form<Filters> layout="inline" onFinish={(f) => setQuery(toQuery(f))} style={{ rowGap: 8 }}>
          <Form.Item name="from" label={t('security.audit.from')}>
            <DatePicker showTime />
          </Form.Item>
          <Form.Item name="to" label={t('security.audit.to')}>
            <DatePicker showTime />
          </Form.Item>
          <Form.Item name="action" label={t('security.audit.action')}>
            <Select
              allowClear
              showSearch
              placeholder={t('security.audit.anyAction')}
              style={{ width: 200 }}
              options={ACTIONS.map((a) => ({ value: a, label: a }))}
              data-testid="audit-action"
            />
          </Form.Item>
          <Form.Item name="actor" label={t('security.audit.actor')}>
            <Input allowClear style={{ width: 200 }} maxLength={64} />
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="audit-search">
            {t('security.audit.search')}
          </Button>
        </Form>
        <Space wrap style={{ margin: '16px 0' }}>
          <Button href={api.auditExportUrl({ ...query, format: 'csv' })} data-testid="audit-export-csv">
            {t('security.audit.exportCsv')}
          </Button>
          <Button href={api.auditExportUrl({ ...query, format: 'jsonl' })} data-testid="audit-export-jsonl">
            {t('security.audit.exportJsonl')}
          </Button>
          <Button onClick={() => void verify()} loading={verifying} data-testid="audit-verify">
            {t('security.audit.verify')}
          </Button>
        </Space>
        {verification && (
          <Alert
            style={{ marginBottom: 16 }}
            type={verification.ok ? 'success' : 'error'}
            showIcon
            data-testid="audit-verification"
            title={
              verification.ok
                ? t('security.audit.intact', {
                    n: verification.count,
                    head: (verification.head ?? '').slice(0, 12),
                  })
                : t('security.audit.broken', {
                    seq: verification.brokenAtSeq ?? '?',
                    reason: verification.reason ?? '',
                  })
            }
          />
        )}
        <Table<AuditEntry>
          rowKey="seq"
          size="small"
          loading={!entries}
          dataSource={entries ?? []}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t('security.audit.empty') }}
          data-testid="audit-table"
          columns={[
            { title: '#', dataIndex: 'seq', width: 70 },
            {
              title: t('security.audit.at'),
              dataIndex: 'at',
              render: (at: string) => formatDateTime(at, locale),
            },
            {
              title: t('security.audit.actor'),
              render: (_, e) => (
                <Typography.Text copyable={{ text: e.actor.id }}>
                  {e.actor.type}:{e.actor.id.slice(0, 8)}
                </Typography.Text>
              ),
            },
            { title: t('security.audit.action'), dataIndex: 'action' },
            {
              title: t('security.audit.target'),
              render: (_, e) => (e.target ? `${e.target.type}:${e.target.id.slice(0, 8)}` : '—'),
            },
            {
              title: t('security.audit.details'),
              render: (_, e) => (
                <Typography.Text type="secondary" className="zk-audit-details">
                  {Object.entries(e.details)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' ')}
                </Typography.Text>
              ),
            },
          ]}
        />
        {cursor && (
          <Button
            block
            style={{ marginTop: 12 }}
            onClick={() => void load(query, cursor)}
            data-testid="audit-more"
          >
            {t('security.audit.more')}
          </Button>
        )}
      </Card>
    </div>
  );
}
