// 对话流程 / Dialogue flows (#/bot/dialogue): the workspace's intents and forms as its bot runs them,
// edited as overrides of the industry template, each save a new version that can be restored.

import { PlusOutlined } from '@ant-design/icons';
import type { DialogueHandler, DialogueIntentView } from '@zhike/contracts';
import { Button, Popconfirm, Result, Skeleton, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import {
  deleteCustomIntent,
  editForm,
  editTemplateIntent,
  resetForm,
  resetIntent,
  setIntentEnabled,
  upsertCustomIntent,
} from './draft.ts';
import { FormsTab } from './FormsTab.tsx';
import { IntentDrawer } from './IntentDrawer.tsx';
import { useDialogue } from './useDialogue.ts';
import { VersionsTab } from './VersionsTab.tsx';

const originColour = { template: 'default', overridden: 'orange', custom: 'blue' } as const;

function HandlerTag({ handler }: { handler: DialogueHandler }) {
  const { t } = useI18n();
  const detail =
    handler.type === 'action'
      ? t(`dialogue.action.${handler.action}`)
      : handler.type === 'form'
        ? handler.form
        : handler.type === 'handoff'
          ? handler.reason
          : null;
  return (
    <Tag color={handler.type === 'handoff' ? 'red' : handler.type === 'form' ? 'purple' : 'geekblue'}>
      {t(`dialogue.handler.${handler.type}`)}
      {detail ? ` · ${detail}` : ''}
    </Tag>
  );
}

export function DialoguePage() {
  const { t } = useI18n();
  const { session } = useSignedIn();
  const canManage = can(session, 'bot.manage');
  const { state, save, restore, generation } = useDialogue();
  // undefined: closed; null: a new custom intent.
  const [editing, setEditing] = useState<DialogueIntentView | null | undefined>(undefined);

  if (state.phase === 'loading') return <Skeleton active className="zk-page" />;
  if (state.phase === 'failed')
    return (
      <Result
        status="warning"
        title={state.notConfigured ? t('dialogue.notConfigured') : t('dialogue.loadFailed')}
      />
    );
  const { view } = state;
  const overrides = view.overrides;

  return (
    <div className="zk-page" style={{ maxWidth: 1280 }} data-testid="dialogue-page">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('dialogue.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('dialogue.intro')}</Typography.Paragraph>
          <Space>
            <Tag>{t('dialogue.template', { template: view.templateId })}</Tag>
            <Tag color={view.version > 0 ? 'green' : 'default'} data-testid="dialogue-version">
              {view.version > 0
                ? t('dialogue.version', { version: view.version })
                : t('dialogue.versionTemplate')}
            </Tag>
          </Space>
        </div>
      </div>
      <Tabs
        items={[
          {
            key: 'intents',
            label: <span data-testid="dialogue-tab-intents">{t('dialogue.tab.intents')}</span>,
            children: (
              <>
                {canManage && (
                  <div style={{ marginBottom: 12, textAlign: 'right' }}>
                    <Button
                      type="primary"
                      icon={<PlusOutlined />}
                      onClick={() => setEditing(null)}
                      data-testid="dialogue-add-intent"
                    >
                      {t('dialogue.addIntent')}
                    </Button>
                  </div>
                )}
                <Table
                  rowKey="name"
                  size="middle"
                  dataSource={view.intents}
                  pagination={false}
                  data-testid="dialogue-intents"
                  columns={[
                    {
                      title: t('dialogue.col.intent'),
                      render: (_, i: DialogueIntentView) => (
                        <div>
                          <Typography.Text strong>{i.label ?? i.name}</Typography.Text>
                          {i.label && (
                            <Typography.Text type="secondary" code>
                              {i.name}
                            </Typography.Text>
                          )}
                          <div>
                            <Typography.Text type="secondary" ellipsis style={{ maxWidth: 360 }}>
                              {i.description ?? i.examples[0] ?? ''}
                            </Typography.Text>
                          </div>
                        </div>
                      ),
                    },
                    {
                      title: t('dialogue.col.origin'),
                      width: 110,
                      render: (_, i: DialogueIntentView) => (
                        <Tag color={originColour[i.origin]}>{t(`dialogue.origin.${i.origin}`)}</Tag>
                      ),
                    },
                    {
                      title: t('dialogue.col.handler'),
                      render: (_, i: DialogueIntentView) => <HandlerTag handler={i.handler} />,
                    },
                    {
                      title: t('dialogue.col.examples'),
                      width: 100,
                      render: (_, i: DialogueIntentView) =>
                        t('dialogue.examplesCount', { count: i.examples.length }),
                    },
                    {
                      title: t('dialogue.col.enabled'),
                      width: 80,
                      render: (_, i: DialogueIntentView) => (
                        <Switch
                          size="small"
                          checked={i.enabled}
                          disabled={!canManage}
                          data-testid={`dialogue-enabled-${i.name}`}
                          onChange={(on) => void save(setIntentEnabled(overrides, i, on))}
                        />
                      ),
                    },
                    {
                      title: t('dialogue.col.actions'),
                      width: 220,
                      render: (_, i: DialogueIntentView) =>
                        canManage && (
                          <Space size={4}>
                            <Button
                              size="small"
                              type="link"
                              onClick={() => setEditing(i)}
                              data-testid={`dialogue-edit-${i.name}`}
                            >
                              {t('dialogue.edit')}
                            </Button>
                            {i.origin === 'overridden' && (
                              <Popconfirm
                                title={t('dialogue.resetConfirm')}
                                onConfirm={() => void save(resetIntent(overrides, i.name))}
                              >
                                <Button size="small" type="link">
                                  {t('dialogue.reset')}
                                </Button>
                              </Popconfirm>
                            )}
                            {i.origin === 'custom' && (
                              <Popconfirm
                                title={t('dialogue.deleteConfirm')}
                                onConfirm={() => void save(deleteCustomIntent(overrides, i.name))}
                              >
                                <Button size="small" type="link" danger>
                                  {t('dialogue.delete')}
                                </Button>
                              </Popconfirm>
                            )}
                          </Space>
                        ),
                    },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'forms',
            label: <span data-testid="dialogue-tab-forms">{t('dialogue.tab.forms')}</span>,
            children: (
              <FormsTab
                view={view}
                canManage={canManage}
                onSave={(form, edit) => save(editForm(overrides, form, edit))}
                onReset={(form) => void save(resetForm(overrides, form.id))}
              />
            ),
          },
          {
            key: 'versions',
            label: <span data-testid="dialogue-tab-versions">{t('dialogue.tab.versions')}</span>,
            children: (
              <VersionsTab
                key={generation}
                view={view}
                canManage={canManage}
                onRestore={(id, version) => void restore(id, version)}
              />
            ),
          },
        ]}
      />
      {editing !== undefined && (
        <IntentDrawer
          open
          intent={editing}
          view={view}
          onClose={() => setEditing(undefined)}
          onSave={(edit) =>
            save(
              editing === null || editing.origin === 'custom'
                ? upsertCustomIntent(overrides, editing?.name ?? null, edit)
                : editTemplateIntent(overrides, editing, edit),
            )
          }
        />
      )}
    </div>
  );
}
