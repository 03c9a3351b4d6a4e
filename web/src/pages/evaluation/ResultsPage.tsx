/** 综合评价: every subject of a type over a period — indicators, score, grade, rank — with drill-down and trend. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { type JobView, useJob } from '../../api/jobs';
import { useSession } from '../../auth/session';
import { useErrorText } from '../../components/errors';
import { JobProgress } from '../../components/job/JobProgress';
import { dataMonth, useDemoStatus } from '../../demo/status';
import { pick } from '../../i18n';
import { EChart } from './charts';
import { DrilldownDrawer, type DrillTarget } from './DrilldownDrawer';
import { GRADE_COLOR } from './grades';
import { PeriodPicker, type PeriodValue } from './PeriodPicker';
import { isRegionType } from './regions';
import {
  type Cell,
  percent,
  periodQuery,
  type ResultRow,
  type Results,
  type Schemes,
  SUBJECT_TYPES,
  type SubjectType,
  score,
} from './shared';
import { TrendCard } from './TrendCard';

const SOURCES = ['supervisor', 'public', 'hotline_12345', 'video_ai', 'iot', 'leader', 'media', 'open311'];
// MapLibre (≈1 MB) is downloaded only when a region type is shown.
const ResultsMap = lazy(async () => ({ default: (await import('./ResultsMap')).ResultsMap }));

const CHART_TOP = 20;

/** Opens on a period that has figures (the demo history may still be reaching back). */
export function ResultsPage() {
  const { status, loaded } = useDemoStatus();
  if (!loaded) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  return <ResultsView initialMonth={dataMonth(status)} />;
}

function ResultsView({ initialMonth }: { initialMonth: Dayjs }) {
  const { t, i18n } = useTranslation('evaluation');
  const errorText = useErrorText();
  const { session } = useSession();
  // A department reads only its own department's evaluation.
  const types = session?.user.role === 'department' ? (['department'] as const) : SUBJECT_TYPES;
  const [subjectType, setSubjectType] = useState<SubjectType>('department');
  const [period, setPeriod] = useState<PeriodValue>({ kind: 'month', day: initialMonth, range: null });
  const [scheme, setScheme] = useState<string | undefined>();
  const [sources, setSources] = useState<string[]>([]);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const pq = periodQuery(period.kind, period.day, period.range);
  const filters = { source: sources.length ? sources.join(',') : undefined };
  const query = { subjectType, ...pq, scheme, ...filters };
  const schemes = useQuery({
    queryKey: ['evaluation', 'schemes', subjectType],
    queryFn: ({ signal }) => api<Schemes>('/evaluation/schemes', { signal, query: { subjectType } }),
  });
  // A cold evaluation of a year reads every case of it: it runs as a background job with a
  // progress bar; the asker may cancel it, or leave and come back to the same job.
  const run = useJob<Results>(`evaluation:${session?.user.username ?? ''}:${JSON.stringify(query)}`, () =>
    api<JobView>('/evaluation/runs', { method: 'POST', body: query }),
  );
  const data = run.result;
  const rows = data?.rows ?? [];
  const selectedRow = rows.find((r) => r.subjectId === selected) ?? null;

  const open = (row: ResultRow, indicator: string, part: 'numerator' | 'denominator') =>
    setDrill({
      subjectType,
      subject: row.subjectId,
      subjectName: row.subjectName,
      indicator,
      part,
      period: Object.fromEntries(
        Object.entries({ ...pq, ...filters }).filter(([, v]) => v !== undefined),
      ) as Record<string, string>,
    });

  const figure = (row: ResultRow, key: string, part: 'numerator' | 'denominator', n: number) => (
    <Button
      type="link"
      size="small"
      style={{ padding: 0, height: 'auto' }}
      data-testid={`cell-${row.subjectId}-${key}${part === 'denominator' ? '-d' : ''}`}
      data-value={n}
      disabled={n === 0}
      onClick={(e) => {
        e.stopPropagation();
        open(row, key, part);
      }}
    >
      {n}
    </Button>
  );

  const columns: ColumnsType<ResultRow> = [
    {
      title: t('col.rank'),
      dataIndex: 'rank',
      width: 64,
      fixed: 'left',
      sorter: (a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9),
      defaultSortOrder: 'ascend',
      render: (r: number | null, row) => (r === null ? '—' : `${r}${row.tied ? '=' : ''}`),
    },
    { title: t('col.subject'), dataIndex: 'subjectName', width: 160, fixed: 'left', ellipsis: true },
    {
      title: t('col.score'),
      dataIndex: 'composite',
      width: 80,
      sorter: (a, b) => (a.composite ?? -1) - (b.composite ?? -1),
      render: (v: number | null) => <b>{score(v)}</b>,
    },
    {
      title: t('col.grade'),
      dataIndex: 'grade',
      width: 56,
      render: (g: string | null) => (g ? <Tag color={GRADE_COLOR[g]}>{g}</Tag> : '—'),
    },
    ...(data?.indicators ?? []).map((info) => ({
      key: info.key,
      title: pick(info.label, i18n.language),
      width: info.kind === 'rate' ? 150 : 80,
      sorter: (a: ResultRow, b: ResultRow) =>
        (a.indicators[info.key]?.value ?? -1) - (b.indicators[info.key]?.value ?? -1),
      render: (_: unknown, row: ResultRow) => {
        const c: Cell | undefined = row.indicators[info.key];
        if (!c) return '—';
        if (c.kind === 'count') return figure(row, info.key, 'numerator', c.numerator);
        return (
          <span style={{ whiteSpace: 'nowrap' }}>
            {percent(c.value)}{' '}
            <Typography.Text type="secondary">
              ({figure(row, info.key, 'numerator', c.numerator)}/
              {figure(row, info.key, 'denominator', c.denominator)})
            </Typography.Text>
          </span>
        );
      },
    })),
  ];

  const scored = rows.filter((r) => r.composite !== null).length;
  const barOption = useMemo(() => {
    // The best CHART_TOP; long names (grids: 社区 + 号网格) are cut on the axis, whole in the tooltip.
    const ranked = [...rows].filter((r) => r.composite !== null).slice(0, CHART_TOP);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 16, bottom: 64 },
      xAxis: {
        type: 'category',
        data: ranked.map((r) => r.subjectName),
        axisLabel: {
          rotate: 35,
          fontSize: 11,
          interval: 0,
          // Head and tail: a grid's number (…001号网格) is what tells neighbours apart.
          formatter: (name: string) => (name.length > 10 ? `${name.slice(0, 4)}…${name.slice(-5)}` : name),
        },
      },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [
        {
          type: 'bar',
          name: t('col.score'),
          data: ranked.map((r) => r.composite),
          itemStyle: { color: '#1677ff' },
        },
      ],
    };
  }, [rows, t]);

  return (
    <div data-testid="evaluation-results">
      <Space wrap style={{ marginBottom: 12 }} data-testid="results-filters">
        <Select
          data-testid="subject-type"
          style={{ width: 168 }}
          popupMatchSelectWidth={false}
          value={subjectType}
          onChange={(v) => {
            setSubjectType(v);
            setScheme(undefined);
            setSelected(null);
          }}
          options={types.map((s) => ({ value: s, label: t(`subject.${s}`) }))}
        />
        <PeriodPicker value={period} onChange={setPeriod} />
        <Select
          data-testid="scheme"
          style={{ width: 220 }}
          placeholder={t('results.scheme')}
          allowClear
          value={scheme}
          onChange={setScheme}
          loading={schemes.isLoading}
          options={(schemes.data?.items ?? []).map((s) => ({
            value: s.id,
            label: `${pick(s.name, i18n.language)} v${s.version}`,
          }))}
        />
        <Select
          mode="multiple"
          data-testid="source-filter"
          style={{ minWidth: 180 }}
          placeholder={t('results.allSources')}
          allowClear
          maxTagCount="responsive"
          value={sources}
          onChange={setSources}
          options={SOURCES.map((s) => ({ value: s, label: t(`cases:source.${s}`) }))}
        />
      </Space>
      {run.error ? <Alert type="error" title={errorText(run.error)} style={{ marginBottom: 12 }} /> : null}
      <Card
        size="small"
        style={{ marginBottom: 12 }}
        title={
          data
            ? t('results.heading', {
                type: t(`subject.${subjectType}`),
                from: data.period.firstDay,
                to: data.period.lastDay,
                scheme: `${pick(data.scheme.name, i18n.language)} v${data.scheme.version}`,
              })
            : t('results.title')
        }
      >
        <div style={{ marginBottom: 8 }}>
          <JobProgress
            view={run.view}
            onCancel={() => void run.cancel()}
            onRestart={() => void run.restart()}
            testId="evaluation-job"
          />
        </div>
        <Table<ResultRow>
          data-testid="results-table"
          size="small"
          rowKey="subjectId"
          columns={columns}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          rowClassName={(r) => (r.subjectId === selected ? 'ant-table-row-selected' : '')}
          onRow={(r) => ({ onClick: () => setSelected(r.subjectId), style: { cursor: 'pointer' } })}
        />
        <Typography.Paragraph
          type="secondary"
          style={{ margin: '8px 0 0', fontSize: 12 }}
          data-testid="empty-rule"
        >
          {t('results.emptyRule')}
        </Typography.Paragraph>
      </Card>
      <Row gutter={12}>
        <Col span={period.kind === 'custom' ? 24 : 14}>
          <Card
            size="small"
            title={scored > CHART_TOP ? t('results.chartTop', { n: CHART_TOP }) : t('results.chart')}
          >
            <EChart option={barOption} testId="results-chart" style={{ height: 240 }} />
          </Card>
          {isRegionType(subjectType) ? (
            <Card
              size="small"
              title={t('results.map', { type: t(`subject.${subjectType}`) })}
              style={{ marginTop: 12 }}
            >
              <Suspense fallback={<Spin style={{ display: 'block', padding: 160 }} />}>
                <ResultsMap
                  subjectType={subjectType}
                  rows={rows}
                  selected={selected}
                  onSelect={setSelected}
                />
              </Suspense>
            </Card>
          ) : null}
        </Col>
        {period.kind !== 'custom' ? (
          // Sticky, so the trend of an area clicked on the map below stays in view.
          <Col span={10} style={{ alignSelf: 'flex-start', position: 'sticky', top: 16 }}>
            <TrendCard
              subjectType={subjectType}
              subject={selectedRow?.subjectId ?? null}
              subjectName={selectedRow?.subjectName ?? ''}
              kind={period.kind}
              day={period.day}
              filters={{ ...filters, scheme }}
            />
          </Col>
        ) : null}
      </Row>
      <DrilldownDrawer target={drill} onClose={() => setDrill(null)} />
    </div>
  );
}
