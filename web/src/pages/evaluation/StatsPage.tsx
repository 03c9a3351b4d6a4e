/** 运行统计: counts and rates of the cases reported in a span, grouped, with top categories and places. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Row, Segmented, Space, Spin, Statistic, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useErrorText } from '../../components/errors';
import { dataMonth, useDemoStatus } from '../../demo/status';
import { EChart } from './charts';
import { DAY, percent } from './shared';

const GROUPS = ['source', 'category', 'district', 'street', 'status', 'hour'] as const;
type Group = (typeof GROUPS)[number];
const PIE_SLICES = 12;

interface StatRow {
  key: string;
  /** Categories only: 部件 and 事件 codes overlap (0101 is a class of each). */
  kind?: string;
  label: string;
  reported: number;
  filed: number;
  /** 应结案: filed and not suspended, the denominator of the three rates. */
  dueClose: number;
  handled: number;
  closed: number;
  closedOnTime: number;
  reworked: number;
  disposalRate: number | null;
  onTimeRate: number | null;
  reworkRate: number | null;
  avgHandlingHours: number | null;
}
interface Stats {
  groupBy: Group;
  total: StatRow;
  groups: StatRow[];
  topCategories: StatRow[];
  topPlaces: StatRow[];
}

/** A category code can appear under two names (its name changed), so a row is key and label. */
const rowKey = (r: StatRow) => `${r.kind ?? ''}|${r.key}`;

/** Opens on a period that has figures (the demo history may still be reaching back). */
export function StatsPage() {
  const { status, loaded } = useDemoStatus();
  if (!loaded) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  return <StatsView initialMonth={dataMonth(status)} />;
}

function StatsView({ initialMonth }: { initialMonth: Dayjs }) {
  const { t } = useTranslation('evaluation');
  const errorText = useErrorText();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const end = initialMonth.endOf('month');
    return [initialMonth, end.isAfter(dayjs()) ? dayjs().startOf('day') : end];
  });
  const [groupBy, setGroupBy] = useState<Group>('source');
  const [chart, setChart] = useState<'bar' | 'pie'>('bar');
  const query = { from: range[0].format(DAY), to: range[1].format(DAY), groupBy };
  const q = useQuery({
    queryKey: ['evaluation', 'stats', query],
    queryFn: ({ signal }) => api<Stats>('/evaluation/stats', { signal, query }),
  });
  const s = q.data;
  // Sources and states are keys; people read their names.
  const labelOf = (r: StatRow) =>
    groupBy === 'source'
      ? t(`cases:source.${r.key}`, { defaultValue: r.label })
      : groupBy === 'status'
        ? t(`cases:state.${r.key}`, { defaultValue: r.label })
        : r.label;

  const columns: ColumnsType<StatRow> = [
    {
      title: t(`stats.group.${groupBy}`),
      render: (_, r) => labelOf(r),
      width: 120,
      ellipsis: true,
      fixed: 'left',
    },
    {
      title: t('stats.reported'),
      dataIndex: 'reported',
      width: 72,
      sorter: (a, b) => a.reported - b.reported,
    },
    { title: t('stats.filed'), dataIndex: 'filed', width: 72 },
    { title: t('stats.dueClose'), dataIndex: 'dueClose', width: 80 },
    { title: t('stats.handled'), dataIndex: 'handled', width: 72 },
    { title: t('stats.closed'), dataIndex: 'closed', width: 72 },
    { title: t('stats.disposalRate'), dataIndex: 'disposalRate', width: 80, render: percent },
    { title: t('stats.onTimeRate'), dataIndex: 'onTimeRate', width: 90, render: percent },
    { title: t('stats.reworkRate'), dataIndex: 'reworkRate', width: 72, render: percent },
    {
      title: t('stats.avgHours'),
      dataIndex: 'avgHandlingHours',
      width: 100,
      render: (v: number | null) => (v === null ? '—' : v.toFixed(1)),
    },
  ];

  const option = useMemo(() => {
    const groups = s?.groups ?? [];
    const names = groups.map(labelOf);
    if (chart === 'pie') {
      // Beyond a dozen slices a pie is unreadable: the rest becomes one 其他 slice.
      const slices = groups
        .map((g, i) => ({ name: names[i], value: g.reported }))
        .sort((a, b) => b.value - a.value);
      const rest = slices.slice(PIE_SLICES).reduce((n, x) => n + x.value, 0);
      const data =
        rest > 0 ? [...slices.slice(0, PIE_SLICES), { name: t('stats.other'), value: rest }] : slices;
      return {
        tooltip: { trigger: 'item' },
        legend: { type: 'scroll', orient: 'vertical', right: 0, top: 0, bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['30%', '65%'],
            center: ['35%', '50%'],
            label: { show: false },
            data,
          },
        ],
      };
    }
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 28, bottom: 56 },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: 30, fontSize: 11 } },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: t('stats.reported'), data: groups.map((g) => g.reported) },
        { type: 'bar', name: t('stats.handled'), data: groups.map((g) => g.handled) },
      ],
    };
  }, [s, chart, groupBy, t]);

  const top = (title: string, rows: StatRow[] | undefined, testId: string) => (
    <Card size="small" title={title}>
      <Table<StatRow>
        data-testid={testId}
        size="small"
        rowKey={rowKey}
        pagination={false}
        dataSource={rows ?? []}
        columns={[
          { title: '#', width: 36, render: (_, __, i) => i + 1 },
          { title: t('stats.name'), dataIndex: 'label', ellipsis: true },
          { title: t('stats.reported'), dataIndex: 'reported', width: 64 },
          { title: t('stats.disposalRate'), dataIndex: 'disposalRate', width: 80, render: percent },
        ]}
      />
    </Card>
  );

  const total = s?.total;
  return (
    <div data-testid="evaluation-stats">
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker
          data-testid="stats-range"
          allowClear={false}
          value={range}
          onChange={(r) => {
            if (r?.[0] && r[1]) setRange([r[0], r[1]]);
          }}
        />
        <Segmented
          data-testid="stats-group"
          value={groupBy}
          onChange={(v) => setGroupBy(v as Group)}
          options={GROUPS.map((g) => ({ value: g, label: t(`stats.group.${g}`) }))}
        />
        <Segmented
          data-testid="stats-chart-type"
          value={chart}
          onChange={(v) => setChart(v as 'bar' | 'pie')}
          options={[
            { value: 'bar', label: t('stats.bar') },
            { value: 'pie', label: t('stats.pie') },
          ]}
        />
      </Space>
      {q.error ? <Alert type="error" title={errorText(q.error)} style={{ marginBottom: 12 }} /> : null}
      <Row gutter={12} style={{ marginBottom: 12 }} data-testid="stats-headline">
        {(
          [
            ['reported', total?.reported ?? null, (v: number) => String(v)],
            ['disposalRate', total?.disposalRate ?? null, percent],
            ['onTimeRate', total?.onTimeRate ?? null, percent],
            ['reworkRate', total?.reworkRate ?? null, percent],
            ['avgHours', total?.avgHandlingHours ?? null, (v: number) => `${v.toFixed(1)} h`],
          ] as const
        ).map(([key, value, fmt]) => (
          <Col flex={1} key={key}>
            <Card size="small" loading={q.isLoading}>
              <Statistic
                title={t(`stats.${key}`)}
                value={value === null ? '—' : fmt(value)}
                valueRender={(node) => (
                  <span data-testid={`stat-${key}`} data-value={value ?? ''}>
                    {node}
                  </span>
                )}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col span={14}>
          <Card size="small" title={t('stats.table')}>
            <Table<StatRow>
              data-testid="stats-table"
              size="small"
              rowKey={rowKey}
              loading={q.isLoading}
              columns={columns}
              dataSource={s?.groups ?? []}
              scroll={{ x: 'max-content' }}
              pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false }}
            />
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title={t('stats.chart')}>
            <EChart option={option} testId="stats-chart" style={{ height: 320 }} />
          </Card>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>{top(t('stats.topCategories'), s?.topCategories, 'top-categories')}</Col>
        <Col span={12}>{top(t('stats.topPlaces'), s?.topPlaces, 'top-places')}</Col>
      </Row>
    </div>
  );
}
