// The saved versions, newest first; restoring one saves its document again as the newest version. The page
// remounts this after every save, so the list is always fresh.
import type { DialogueVersionSummary, DialogueView } from '@zhike/contracts';
import { Button, Empty, Popconfirm, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function VersionsTab({
  view,
  canManage,
  onRestore,
}: {
  view: DialogueView;
  canManage: boolean;
  onRestore: (id: string, version: number) => void;
}) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [versions, setVersions] = useState<DialogueVersionSummary[] | null>(null);
  const [authors, setAuthors] = useState<Record<string, string>>({});

  useEffect(() => {
    const controller = new AbortController();
    api.listDialogueVersions(controller.signal).then((r) => setVersions(r.versions), notifyError);
    return () => controller.abort();
  }, [api, notifyError]);

  useEffect(() => {
    // Names are a nicety: without the directory permission the list shows short ids.
    api.listUsers().then(
      (r) => setAuthors(Object.fromEntries(r.users.map((u) => [u.id, u.name || u.email]))),
      () => undefined,
    );
  }, [api]);

  if (versions !== null && versions.length === 0) return <Empty description={t('dialogue.versions.empty')} />;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Table
      rowKey="id"
      loading={versions === null}
      dataSource={versions ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      data-testid="dialogue-versions"
      columns={[
        {
          title: t('dialogue.versions.col.version'),
          dataIndex: 'version',
          width: 120,
          render: (v: number) => (
            <span>
              {v} {v === view.version && <Tag color="green">{t('dialogue.versions.current')}</Tag>}
            </span>
          ),
        },
        {
          title: t('dialogue.versions.col.at'),
          dataIndex: 'createdAt',
          render: (at: string) => when.format(new Date(at)),
        },
        {
          title: t('dialogue.versions.col.author'),
          dataIndex: 'authorUserId',
          render: (id: string | null) => (id ? (authors[id] ?? id.slice(-8)) : '—'),
        },
        {
          title: t('dialogue.versions.col.note'),
          render: (_, v) => (
            <span>
              {v.restoredFrom !== null && t('dialogue.versions.restoredFrom', { version: v.restoredFrom })}
              {v.templateId !== view.templateId && (
                <Tag>{t('dialogue.versions.otherTemplate', { template: v.templateId })}</Tag>
              )}
            </span>
          ),
        },
        {
          title: '',
          width: 100,
          render: (_, v) =>
            canManage &&
            v.version !== view.version &&
            v.templateId === view.templateId && (
              <Popconfirm
                title={t('dialogue.versions.restoreConfirm', { version: v.version })}
                onConfirm={() => onRestore(v.id, v.version)}
              >
                <Button size="small" data-testid={`dialogue-restore-${v.version}`}>
                  {t('dialogue.versions.restore')}
                </Button>
              </Popconfirm>
            ),
        },
      ]}
    />
  );
}
