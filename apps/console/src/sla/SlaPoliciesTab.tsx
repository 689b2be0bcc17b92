// The SLA policies: what each promises (targets), to which tickets (conditions) and what a breach does.
// Admins add, edit and delete; supervisors read.
import type { SlaPolicyView, User } from '@zhike/contracts';
import { Button, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { formatMinutes } from './policyForm.ts';
import { SlaPolicyDrawer } from './SlaPolicyDrawer.tsx';

export function SlaPoliciesTab() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const manages = can(session, 'sla.manage');
  const [policies, setPolicies] = useState<SlaPolicyView[] | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [editing, setEditing] = useState<SlaPolicyView | 'new' | null>(null);

  const load = useCallback(async () => {
    try {
      setPolicies((await api.listSlaPolicies()).policies);
    } catch (error) {
      notifyError(error);
    }
  }, [api, notifyError]);
  useEffect(() => {
    void load();
    api.listUsers().then((r) => setUsers(r.users), notifyError);
  }, [load, api, notifyError]);

  const userName = (id: string) => users.find((u) => u.id === id)?.name ?? id;
  const any = t('sla.any');

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        {manages && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="sla-policy-new">
            {t('sla.policies.new')}
          </Button>
        )}
        <Typography.Text type="secondary">{t('sla.policies.specificHint')}</Typography.Text>
      </Space>
      <Table
        rowKey="id"
        loading={policies === null}
        dataSource={policies ?? []}
        pagination={false}
        locale={{ emptyText: t('sla.policies.empty') }}
        columns={[
          { title: t('sla.policies.col.name'), dataIndex: 'name' },
          {
            title: t('sla.policies.col.conditions'),
            render: (_: unknown, p: SlaPolicyView) => (
              <Space size={4} wrap>
                <Tag>{p.conditions.priority ? t(`sla.priority.${p.conditions.priority}`) : any}</Tag>
                <Tag>{p.conditions.category ?? any}</Tag>
                <Tag>{p.conditions.customerTier ? t(`sla.tier.${p.conditions.customerTier}`) : any}</Tag>
              </Space>
            ),
          },
          {
            title: t('sla.policies.col.targets'),
            render: (_: unknown, p: SlaPolicyView) => (
              <Space direction="vertical" size={0}>
                {(['first_response', 'next_response', 'resolution'] as const).map((m) => (
                  <span key={m}>
                    {t(`sla.metric.${m}`)}: {formatMinutes(p.targets[m], t)}
                  </span>
                ))}
              </Space>
            ),
          },
          {
            title: t('sla.policies.col.hours'),
            render: (_: unknown, p: SlaPolicyView) =>
              p.businessHours ? t('sla.policies.businessHours') : t('sla.policies.allDay'),
          },
          {
            title: t('sla.policies.col.escalation'),
            render: (_: unknown, p: SlaPolicyView) => (
              <Space size={4} wrap>
                {p.escalation.notifySupervisors && <Tag color="orange">{t('sla.policies.notify')}</Tag>}
                {p.escalation.raisePriority && <Tag color="red">{t('sla.policies.raise')}</Tag>}
                {p.escalation.reassignToUserId && (
                  <Tag color="blue">
                    {t('sla.policies.reassign', { name: userName(p.escalation.reassignToUserId) })}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('sla.policies.col.enabled'),
            render: (_: unknown, p: SlaPolicyView) => <Switch size="small" checked={p.enabled} disabled />,
          },
          ...(manages
            ? [
                {
                  title: t('sla.policies.col.actions'),
                  render: (_: unknown, p: SlaPolicyView) => (
                    <Space>
                      <Button size="small" onClick={() => setEditing(p)}>
                        {t('sla.policies.edit')}
                      </Button>
                      <Popconfirm
                        title={t('sla.policies.deleteConfirm')}
                        onConfirm={() => api.deleteSlaPolicy(p.id).then(load, notifyError)}
                      >
                        <Button size="small" danger>
                          {t('sla.policies.delete')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <SlaPolicyDrawer
          policy={editing === 'new' ? null : editing}
          users={users}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
    </Space>
  );
}
