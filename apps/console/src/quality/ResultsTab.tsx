// The results list: filter by agent, type, rule broken and score; newest first, a page at a time; a row
// opens its evidence in a drawer.
import type { QualityResultView, User } from '@zhike/contracts';
import { Button, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import type { ResultFilter } from './endpoints.ts';
import type { QualityRange } from './QualityPage.tsx';
import { ResultDrawer } from './ResultDrawer.tsx';
import { ScoreTag } from './ScoreTag.tsx';
import { ruleNameOf, useQualityRuleset } from './useQualityRuleset.ts';

const PAGE = 50;

export function ResultsTab({ range, navigate }: { range: QualityRange; navigate: (route: Route) => void }) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const team = can(session, 'quality.read_team');
  const ruleset = useQualityRuleset();
  const [users, setUsers] = useState<User[]>([]);
  const [filter, setFilter] = useState<Omit<ResultFilter, 'from' | 'to' | 'before'>>({});
  const [results, setResults] = useState<QualityResultView[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!team) return;
    api.listUsers().then((list) => setUsers(list.users), notifyError);
  }, [api, team, notifyError]);

  const load = useCallback(
    async (before: string | undefined, signal?: AbortSignal) => {
      setLoading(true);
      try {
        const page = await api.listQualityResults(
          { ...filter, from: range.from, to: range.to, limit: PAGE, ...(before ? { before } : {}) },
          signal,
        );
        setResults((prev) => (before ? [...prev, ...page.results] : page.results));
        setMore(page.results.length === PAGE);
      } catch (error) {
        if (!signal?.aborted) notifyError(error);
      } finally {
        setLoading(false);
      }
    },
    [api, filter, range.from, range.to, notifyError],
  );

  useEffect(() => {
    const abort = new AbortController();
    void version;
    void load(undefined, abort.signal);
    return () => abort.abort();
  }, [load, version]);

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {team && (
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('quality.filter.agent')}
            style={{ width: 160 }}
            value={filter.agentId}
            onChange={(agentId?: string) => setFilter((f) => ({ ...f, agentId }))}
            options={users.map((u) => ({ value: u.id, label: u.name }))}
            data-testid="quality-filter-agent"
          />
        )}
        <Select
          allowClear
          placeholder={t('quality.filter.subject')}
          style={{ width: 120 }}
          value={filter.subject}
          onChange={(subject?: 'conversation' | 'call') => setFilter((f) => ({ ...f, subject }))}
          options={[
            { value: 'conversation', label: t('quality.subject.conversation') },
            { value: 'call', label: t('quality.subject.call') },
          ]}
        />
        <Select
          allowClear
          placeholder={t('quality.filter.rule')}
          style={{ width: 200 }}
          value={filter.ruleId}
          onChange={(ruleId?: string) => setFilter((f) => ({ ...f, ruleId }))}
          options={(ruleset?.rules ?? []).map((r) => ({ value: r.id, label: r.name }))}
          data-testid="quality-filter-rule"
        />
        <InputNumber
          min={0}
          max={100}
          placeholder={t('quality.filter.maxScore')}
          style={{ width: 130 }}
          value={filter.maxScore ?? null}
          onChange={(v) => setFilter((f) => ({ ...f, maxScore: typeof v === 'number' ? v : undefined }))}
        />
        <Button onClick={() => setVersion((v) => v + 1)}>{t('quality.refresh')}</Button>
      </Space>
      <Table
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={results}
        pagination={false}
        locale={{ emptyText: t('quality.empty') }}
        data-testid="quality-results"
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('quality.col.endedAt'),
            dataIndex: 'endedAt',
            render: (v: string) => formatDateTime(v, locale),
          },
          {
            title: t('quality.col.subject'),
            dataIndex: 'subject',
            render: (v: QualityResultView['subject']) => t(`quality.subject.${v}`),
          },
          {
            title: t('quality.col.agent'),
            dataIndex: 'agentName',
            render: (_: unknown, r: QualityResultView) =>
              r.agentName ?? (r.agentId ? t('quality.none') : t('quality.bot')),
          },
          { title: t('quality.col.channel'), dataIndex: 'channel' },
          {
            title: t('quality.col.score'),
            dataIndex: 'effectiveScore',
            render: (_: unknown, r: QualityResultView) => <ScoreTag result={r} />,
          },
          {
            title: t('quality.col.violations'),
            dataIndex: 'violations',
            render: (_: unknown, r: QualityResultView) => (
              <Space size={[4, 4]} wrap>
                {r.violations.map((v) => (
                  <Tag key={v.ruleId} color="volcano">
                    {ruleNameOf(ruleset, v.ruleId, v.name)} −{v.deducted}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
      {more && (
        <Button style={{ marginTop: 12 }} onClick={() => void load(results.at(-1)?.id)} loading={loading}>
          {t('quality.more')}
        </Button>
      )}
      <ResultDrawer
        resultId={open}
        onClose={() => setOpen(null)}
        onChanged={() => setVersion((v) => v + 1)}
        navigate={navigate}
      />
    </>
  );
}
