/** One subject's composite score over the last six periods (one /results call per period). */
import { useQueries } from '@tanstack/react-query';
import { Alert, Card, Empty, Spin } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useErrorText } from '../../components/errors';
import { EChart } from './charts';
import { type PeriodKind, periodQuery, type Results, type SubjectType, shiftPeriod } from './shared';

const PERIODS = 6;

export function TrendCard({
  subjectType,
  subject,
  subjectName,
  kind,
  day,
  filters,
}: {
  subjectType: SubjectType;
  subject: string | null;
  subjectName: string;
  kind: Exclude<PeriodKind, 'custom'>;
  day: Dayjs;
  filters: Record<string, string | undefined>;
}) {
  const { t } = useTranslation('evaluation');
  const errorText = useErrorText();
  const days = useMemo(
    () => Array.from({ length: PERIODS }, (_, i) => shiftPeriod(kind, day, PERIODS - 1 - i)),
    [kind, day],
  );
  const results = useQueries({
    queries: days.map((d) => {
      const query = { subjectType, ...periodQuery(kind, d, null), ...filters };
      return {
        queryKey: ['evaluation', 'results', query],
        enabled: subject !== null,
        queryFn: ({ signal }: { signal: AbortSignal }) =>
          api<Results>('/evaluation/results', { signal, query }),
      };
    }),
  });
  const loading = results.some((r) => r.isLoading);
  const loaded = results.filter((r) => r.data !== undefined).length;
  const failed = results.find((r) => r.error)?.error;
  // Short labels so every period's label (and so its point) fits; a quarter is named by its first month.
  const labelFormat = kind === 'year' ? 'YYYY' : kind === 'day' || kind === 'week' ? 'MM-DD' : 'YYYY-MM';
  const points = results.map((r, i) => ({
    label: days[i]?.format(labelFormat) ?? '',
    value: r.data?.rows.find((row) => row.subjectId === subject)?.composite ?? null,
  }));
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: points.map((p) => p.label), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [
        {
          type: 'line',
          data: points.map((p) => p.value),
          connectNulls: false,
          // A period between empty ones is a lone point: always draw its symbol.
          showAllSymbol: true,
          symbolSize: 7,
          name: t('col.score'),
        },
      ],
    }),
    // The points are new objects each render; their JSON changes only with the data.
    [JSON.stringify(points), t],
  );
  return (
    <Card
      size="small"
      title={subject ? t('results.trendOf', { name: subjectName }) : t('results.trend')}
      data-testid="trend-card"
      // Periods are drawn as they arrive: a slow month must not hide the others.
      extra={subject !== null && loading ? <Spin size="small" /> : null}
    >
      {failed ? <Alert type="error" showIcon title={errorText(failed)} style={{ marginBottom: 8 }} /> : null}
      {subject ? (
        <div data-testid="trend-points" data-loaded={loaded}>
          <EChart option={option} testId="trend-chart" style={{ height: 220 }} />
        </div>
      ) : (
        <Empty description={t('results.pickSubject')} />
      )}
    </Card>
  );
}
