/** Period type + period: a day, week, month, quarter or year picker, or a custom range. */
import { DatePicker, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { PERIOD_KINDS, type PeriodKind } from './shared';

export interface PeriodValue {
  kind: PeriodKind;
  day: Dayjs;
  range: [Dayjs, Dayjs] | null;
}

export function PeriodPicker({
  value,
  onChange,
  kinds = PERIOD_KINDS,
}: {
  value: PeriodValue;
  onChange: (v: PeriodValue) => void;
  kinds?: readonly PeriodKind[];
}) {
  const { t } = useTranslation('evaluation');
  return (
    <Space.Compact>
      <Select
        data-testid="period-kind"
        style={{ width: 96 }}
        value={value.kind}
        onChange={(kind) => onChange({ ...value, kind })}
        options={kinds.map((k) => ({ value: k, label: t(`period.${k}`) }))}
      />
      {value.kind === 'custom' ? (
        <DatePicker.RangePicker
          data-testid="period-range"
          allowClear={false}
          value={value.range}
          onChange={(r) => {
            if (r?.[0] && r[1]) onChange({ ...value, range: [r[0], r[1]] });
          }}
        />
      ) : (
        <DatePicker
          data-testid="period-value"
          allowClear={false}
          picker={value.kind === 'day' ? 'date' : value.kind}
          value={value.day}
          onChange={(d) => {
            if (d) onChange({ ...value, day: d });
          }}
        />
      )}
    </Space.Compact>
  );
}
