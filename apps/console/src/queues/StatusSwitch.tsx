// The signed-in agent's presence in the header: online / away / offline. The shown status follows the
// server (GET /agents, then `agent.status` frames, including the auto-away job's), not only our own clicks.
import type { AgentStatus } from '@zhike/contracts';
import { Badge, Select, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useConsoleFrames, useFeedStatus } from '../realtime/RealtimeContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

const STATUSES: readonly AgentStatus[] = ['online', 'away', 'offline'];
const BADGE = { online: 'success', away: 'warning', offline: 'default' } as const;

interface Mine {
  status: AgentStatus;
  /** false while online but idle past auto-away: the dispatcher skips them until they act. */
  available: boolean;
}

export function StatusSwitch() {
  const { session } = useSignedIn();
  // Only people who can pick conversations up have a presence worth switching.
  if (!session.permissions.includes('conversations.assign_self')) return null;
  return <StatusSelect />;
}

function StatusSelect() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { generation } = useFeedStatus();
  const notifyError = useNotifyError();
  const [mine, setMine] = useState<Mine | null>(null);
  const [saving, setSaving] = useState(false);
  const userId = session.user.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger (frames missed while reconnecting).
  useEffect(() => {
    const controller = new AbortController();
    api.listAgents(controller.signal).then((r) => {
      const me = r.agents.find((a) => a.userId === userId);
      if (me) setMine({ status: me.status, available: me.available });
    }, notifyError);
    return () => controller.abort();
  }, [api, userId, notifyError, generation]);

  useConsoleFrames((frame) => {
    if (frame.type === 'agent.status' && frame.userId === userId)
      setMine({ status: frame.status, available: frame.status === 'online' });
  });

  const change = (status: AgentStatus) => {
    setSaving(true);
    api
      .setMyStatus(status)
      .then((me) => setMine({ status: me.status, available: me.available }))
      .catch(notifyError)
      .finally(() => setSaving(false));
  };

  const idle = mine?.status === 'online' && !mine.available;
  return (
    <Tooltip title={idle ? t('queues.status.idle') : t('queues.status.label')}>
      <Select<AgentStatus>
        size="small"
        variant="borderless"
        aria-label={t('queues.status.label')}
        data-testid="agent-status"
        loading={saving || mine === null}
        disabled={saving || mine === null}
        value={mine?.status}
        onChange={change}
        popupMatchSelectWidth={false}
        options={STATUSES.map((s) => ({
          value: s,
          label: (
            <Badge status={s === 'online' && idle ? 'warning' : BADGE[s]} text={t(`queues.status.${s}`)} />
          ),
        }))}
      />
    </Tooltip>
  );
}
