// Ticket assignment rules: when a new ticket's category, type and priority match, it goes to a team, a
// person, or the least-loaded agent with the skills. The first enabled rule in order decides.
import type { TicketAssignmentRule, TicketAssignmentRuleBody } from '@zhike/contracts';
import { Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useUsers } from '../../conversation/useUsers.ts';
import { useI18n } from '../../i18n/I18nContext.tsx';
import { useQueueNames } from '../../routingRules/useQueueNames.ts';
import { useSignedIn } from '../../session/SessionContext.tsx';
import { useNotifyError } from '../../ui/useNotifyError.ts';
import { priorityLabel, ticketPriorityList } from '../ticketLabels.ts';

type Priority = (typeof ticketPriorityList)[number];
type Shape = {
  name: string;
  enabled: boolean;
  category?: string;
  type?: string;
  priority?: Priority | null;
  queueId?: string | null;
  userId?: string | null;
  skills?: string[];
  position?: number | null;
};

export function TicketRulesTab() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const users = useUsers(true);
  const queues = useQueueNames();
  const [rules, setRules] = useState<TicketAssignmentRule[] | null>(null);
  const [editing, setEditing] = useState<TicketAssignmentRule | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Shape>();
  const userNames = useMemo(() => new Map((users ?? []).map((u) => [u.id, u.name])), [users]);
  const queueNames = useMemo(() => new Map(queues.map((q) => [q.id, q.name])), [queues]);

  const load = useCallback(async () => {
    try {
      setRules((await api.listTicketAssignmentRules()).rules);
    } catch (error) {
      notifyError(error);
    }
  }, [api, notifyError]);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await load();
      return true;
    } catch (error) {
      notifyError(error);
      return false;
    }
  };

  const bodyOf = (v: Shape): TicketAssignmentRuleBody => ({
    name: v.name.trim(),
    enabled: v.enabled,
    category: v.category?.trim() || null,
    type: v.type?.trim() || null,
    priority: v.priority ?? null,
    queueId: v.queueId ?? null,
    userId: v.userId ?? null,
    skills: v.skills ?? [],
    ...(v.position !== undefined && v.position !== null ? { position: v.position } : {}),
  });

  const open = (rule: TicketAssignmentRule | 'new') => {
    form.resetFields();
    form.setFieldsValue(
      rule === 'new'
        ? { enabled: true, skills: [] }
        : {
            name: rule.name,
            enabled: rule.enabled,
            category: rule.category ?? '',
            type: rule.type ?? '',
            priority: rule.priority,
            queueId: rule.queueId,
            userId: rule.userId,
            skills: rule.skills,
            position: rule.position,
          },
    );
    setEditing(rule);
  };

  const save = async (v: Shape) => {
    setSaving(true);
    const body = bodyOf(v);
    const ok = await run(() =>
      editing === 'new'
        ? api.createTicketAssignmentRule(body)
        : editing
          ? api.updateTicketAssignmentRule(editing.id, body)
          : Promise.resolve(),
    );
    setSaving(false);
    if (ok) setEditing(null);
  };

  const any = t('ticketSettings.rules.any');
  const ruleBody = (r: TicketAssignmentRule): TicketAssignmentRuleBody => ({
    name: r.name,
    enabled: r.enabled,
    category: r.category,
    type: r.type,
    priority: r.priority,
    queueId: r.queueId,
    userId: r.userId,
    skills: r.skills,
    position: r.position,
  });

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => open('new')} data-testid="ticket-rule-add">
          {t('ticketSettings.rules.add')}
        </Button>
      </Space>
      <Table<TicketAssignmentRule>
        rowKey="id"
        size="small"
        loading={rules === null}
        dataSource={rules ?? []}
        pagination={false}
        data-testid="ticket-rules"
        columns={[
          { title: '#', dataIndex: 'position', width: 48 },
          { title: t('ticketSettings.rules.name'), dataIndex: 'name' },
          {
            title: t('ticketSettings.rules.when'),
            render: (_: unknown, r) =>
              [
                `${t('ticketSettings.rules.category')}: ${r.category ?? any}`,
                `${t('ticketSettings.rules.type')}: ${r.type ?? any}`,
                `${t('ticketSettings.rules.priority')}: ${r.priority ? t(priorityLabel(r.priority)) : any}`,
              ].join(' · '),
          },
          {
            title: t('ticketSettings.rules.to'),
            render: (_: unknown, r) => (
              <Space size={4} wrap>
                {r.queueId && <Tag>{queueNames.get(r.queueId) ?? r.queueId}</Tag>}
                {r.userId && <Tag color="blue">{userNames.get(r.userId) ?? '…'}</Tag>}
                {r.skills.map((s) => (
                  <Tag key={s} color="purple">
                    {s}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('ticketSettings.rules.enabled'),
            dataIndex: 'enabled',
            render: (enabled: boolean, r) => (
              <Switch
                size="small"
                checked={enabled}
                onChange={(on) =>
                  void run(() => api.updateTicketAssignmentRule(r.id, { ...ruleBody(r), enabled: on }))
                }
              />
            ),
          },
          {
            title: '',
            align: 'right',
            render: (_: unknown, r) => (
              <Space size={4}>
                <Button size="small" onClick={() => open(r)}>
                  {t('ticketSettings.edit')}
                </Button>
                <Popconfirm
                  title={t('ticketSettings.rules.deleteConfirm')}
                  onConfirm={() => run(() => api.deleteTicketAssignmentRule(r.id))}
                >
                  <Button size="small" danger>
                    {t('ticketSettings.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={t(editing === 'new' ? 'ticketSettings.rules.add' : 'ticketSettings.rules.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: saving }}
        forceRender
      >
        <Form<Shape> form={form} layout="vertical" onFinish={save}>
          <Form.Item
            name="name"
            label={t('ticketSettings.rules.name')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="enabled" label={t('ticketSettings.rules.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Space wrap>
            <Form.Item name="category" label={t('ticketSettings.rules.category')}>
              <Input maxLength={60} placeholder={any} />
            </Form.Item>
            <Form.Item
              name="type"
              label={t('ticketSettings.rules.type')}
              rules={[{ pattern: /^([a-z][a-z0-9_]*)?$/, message: t('ticketSettings.rules.typeInvalid') }]}
            >
              <Input maxLength={40} placeholder={any} />
            </Form.Item>
            <Form.Item name="priority" label={t('ticketSettings.rules.priority')}>
              <Select
                allowClear
                placeholder={any}
                style={{ width: 120 }}
                options={ticketPriorityList.map((p) => ({ value: p, label: t(priorityLabel(p)) }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="queueId" label={t('ticketSettings.rules.queue')}>
            <Select allowClear options={queues.map((q) => ({ value: q.id, label: q.name }))} />
          </Form.Item>
          <Form.Item name="userId" label={t('ticketSettings.rules.user')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              options={(users ?? []).map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
          <Form.Item
            name="skills"
            label={t('ticketSettings.rules.skills')}
            extra={t('ticketSettings.rules.skillsHelp')}
          >
            <Select mode="tags" tokenSeparators={[',', '，']} open={false} />
          </Form.Item>
          <Form.Item name="position" label={t('ticketSettings.position')}>
            <InputNumber min={0} max={10_000} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
