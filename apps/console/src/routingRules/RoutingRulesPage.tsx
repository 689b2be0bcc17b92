// Settings → 路由规则 (#/settings/routing): the ordered rule list (move up/down, on/off, edit, delete),
// the rule editor and the "try a message" box. Agents see nothing here; supervisors and up edit.
import type { RoutingRule, RoutingRuleBody } from '@zhike/contracts';
import { App, Button, Card, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { describeCondition } from './conditions.ts';
import { routedTo } from './RoutingCard.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { TryRouting } from './TryRouting.tsx';
import { useQueueNames } from './useQueueNames.ts';

export function RoutingRulesPage() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const manage = can(session, 'routing.manage');
  const [rules, setRules] = useState<RoutingRule[] | null>(null);
  const [editing, setEditing] = useState<{ rule: RoutingRule | null } | null>(null);
  const queues = useQueueNames(rules);

  const load = useCallback(() => {
    api.listRoutingRules().then((r) => setRules(r.rules), notifyError);
  }, [api, notifyError]);
  useEffect(load, [load]);

  const bodyOf = (rule: RoutingRule, patch: Partial<RoutingRuleBody> = {}): RoutingRuleBody => ({
    name: rule.name,
    enabled: rule.enabled,
    conditions: rule.conditions,
    actions: rule.actions,
    ...patch,
  });

  const move = async (index: number, by: -1 | 1) => {
    if (!rules) return;
    const ids = rules.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    if (!moved) return;
    ids.splice(index + by, 0, moved);
    try {
      setRules((await api.reorderRoutingRules(ids)).rules);
    } catch (error) {
      notifyError(error);
    }
  };

  const toggle = async (rule: RoutingRule, enabled: boolean) => {
    try {
      await api.updateRoutingRule(rule.id, bodyOf(rule, { enabled }));
      load();
    } catch (error) {
      notifyError(error);
    }
  };

  const save = async (body: RoutingRuleBody) => {
    const rule = editing?.rule;
    if (rule) await api.updateRoutingRule(rule.id, body);
    else await api.createRoutingRule(body);
    message.success(t('routing.saved'));
    setEditing(null);
    load();
  };

  const remove = async (rule: RoutingRule) => {
    try {
      await api.deleteRoutingRule(rule.id);
      message.success(t('routing.deleted'));
      load();
    } catch (error) {
      notifyError(error);
    }
  };

  const then = (rule: RoutingRule) => {
    const a = rule.actions;
    const parts: string[] = [];
    if (a.target)
      parts.push(
        routedTo(
          { target: a.target.kind, queueId: a.target.kind === 'queue' ? a.target.queueId : null },
          t,
          queues,
        ),
      );
    if (a.priority) parts.push(t(`routing.priority.${a.priority}`));
    if (a.tags.length) parts.push(`#${a.tags.join(' #')}`);
    if (a.notify?.supervisors) parts.push(t('routing.editor.notifySupervisors'));
    return parts.join(' · ');
  };

  return (
    <div className="zk-page" data-testid="routing-page">
      <Typography.Title level={4}>{t('routing.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('routing.intro')}</Typography.Paragraph>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card
          extra={
            manage && (
              <Button type="primary" onClick={() => setEditing({ rule: null })} data-testid="routing-add">
                {t('routing.add')}
              </Button>
            )
          }
        >
          <Table<RoutingRule>
            rowKey="id"
            size="small"
            loading={rules === null}
            dataSource={rules ?? []}
            pagination={false}
            locale={{ emptyText: t('routing.empty') }}
            data-testid="routing-rules"
            columns={[
              { title: t('routing.col.order'), width: 64, render: (_v, _r, i) => i + 1 },
              {
                title: t('routing.col.name'),
                render: (_v, r) => (
                  <Space direction="vertical" size={0}>
                    <Typography.Text strong>{r.name}</Typography.Text>
                    {r.origin === 'template' && <Tag>{t('routing.origin.template')}</Tag>}
                  </Space>
                ),
              },
              {
                title: t('routing.col.when'),
                render: (_v, r) =>
                  r.conditions.length === 0
                    ? t('routing.always')
                    : r.conditions.map((c) => describeCondition(c, t)).join('；'),
              },
              { title: t('routing.col.then'), render: (_v, r) => then(r) },
              {
                title: t('routing.col.enabled'),
                width: 72,
                render: (_v, r) => (
                  <Switch
                    size="small"
                    checked={r.enabled}
                    disabled={!manage}
                    onChange={(on) => void toggle(r, on)}
                    data-testid="routing-rule-enabled"
                  />
                ),
              },
              ...(manage
                ? [
                    {
                      title: t('routing.col.actions'),
                      width: 260,
                      render: (_v: unknown, r: RoutingRule, i: number) => (
                        <Space size={4} wrap>
                          <Button
                            size="small"
                            disabled={i === 0}
                            onClick={() => void move(i, -1)}
                            data-testid="routing-rule-up"
                          >
                            {t('routing.up')}
                          </Button>
                          <Button
                            size="small"
                            disabled={i === (rules?.length ?? 0) - 1}
                            onClick={() => void move(i, 1)}
                          >
                            {t('routing.down')}
                          </Button>
                          <Button
                            size="small"
                            onClick={() => setEditing({ rule: r })}
                            data-testid="routing-rule-edit"
                          >
                            {t('routing.edit')}
                          </Button>
                          <Popconfirm title={t('routing.deleteConfirm')} onConfirm={() => void remove(r)}>
                            <Button size="small" danger>
                              {t('routing.delete')}
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
        <TryRouting />
      </Space>
      <RuleEditor
        open={editing !== null}
        rule={editing?.rule ?? null}
        onClose={() => setEditing(null)}
        onSave={save}
      />
    </div>
  );
}
