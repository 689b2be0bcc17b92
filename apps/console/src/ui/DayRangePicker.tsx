// The analytics pages' date range: whole days up to today, never cleared, shown as the range the
// server answered for (its default is in the workspace's zone, not the browser's).
import { DatePicker } from 'antd';
import dayjs from 'dayjs';

export interface DayRangeValue {
  from: string;
  to: string;
}

export function DayRangePicker(props: {
  label: string;
  /** The range on screen (the report's), or null while loading. */
  value: DayRangeValue | null;
  onChange: (range: DayRangeValue) => void;
  testId?: string;
}) {
  return (
    <DatePicker.RangePicker
      aria-label={props.label}
      value={props.value ? [dayjs(props.value.from), dayjs(props.value.to)] : null}
      allowClear={false}
      style={{ width: 260 }}
      disabledDate={(d) => d.isAfter(dayjs(), 'day')}
      onChange={(values) => {
        const [from, to] = values ?? [];
        if (from && to) props.onChange({ from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') });
      }}
      {...(props.testId ? { 'data-testid': props.testId } : {})}
    />
  );
}
