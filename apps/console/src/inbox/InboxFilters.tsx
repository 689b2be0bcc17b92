import type { ConversationStatus } from '@zhike/contracts';
import { Segmented, Select } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { AssigneeFilter, ListFilter } from '../realtime/conversationList.ts';

type Props = { filter: ListFilter; onChange: (filter: ListFilter) => void };

const assignees: AssigneeFilter[] = ['mine', 'unassigned', 'all'];
const statuses: ConversationStatus[] = ['open', 'pending', 'resolved'];

export function InboxFilters({ filter, onChange }: Props) {
  const { t } = useI18n();
  return (
    <div className="zk-inbox-filters">
      <Segmented<AssigneeFilter>
        size="small"
        value={filter.assignee}
        onChange={(assignee) => onChange({ ...filter, assignee })}
        options={assignees.map((value) => ({ value, label: t(`inbox.filter.${value}`) }))}
        data-testid="filter-assignee"
      />
      <Select<ConversationStatus>
        size="small"
        value={filter.status}
        onChange={(status) => onChange({ ...filter, status })}
        options={statuses.map((value) => ({ value, label: t(`status.${value}`) }))}
        popupMatchSelectWidth={false}
        data-testid="filter-status"
        className="zk-status-filter"
      />
    </div>
  );
}
