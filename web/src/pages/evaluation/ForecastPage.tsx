/**
 * 预测与预警: per category × area, the daily counts with the forecast band (Prophet only where
 * its backtest beat the naive seasonal baseline, else the baseline, with the reason), the
 * backtest errors of both side by side, and the anomaly alerts with the cases behind them.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { LineChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useErrorText } from '../../components/errors';
import { EChart } from '../command/EChart';

use([LineChart, LegendComponent]);

interface Errors {
  mase: number | null;
  mape: number | null;
  weeklyMape: number | null;
  coverage: number | null;
}
interface Series {
  categoryKey: string;
  categoryName: string;
  areaCode: string;
  areaName: string;
  asOf: string;
  method: 'prophet' | 'baseline';
  reason: string;
  reasonText: { zh: string; en: string };
  meanPerDay: number;
  backtest: { model: Errors | null; baseline: Errors | null };
  weeks: { from: string; point: number; lower: number; upper: number }[];
}
interface Detail extends Series {
  actual: { day: string; n: number }[];
  bands: { day: string; point: number; lower: number; upper: number }[];
}
interface AlertRow {
  id: string;
  categoryName: string;
  areaName: string;
  day: string;
  actual: number;
  expected: number;
  upper: number;
  notified: number;
  cases: { id: string; number: string | null }[];
}

const f = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '—' : v.toFixed(d));
const keyOf = (s: { categoryKey: string; areaCode: string }) => `${s.categoryKey}|${s.areaCode}`;

export function ForecastPage() {
  const { t, i18n } = useTranslation('evaluation');
  const errorText = useErrorText();
  const client = useQueryClient();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const [selected, setSelected] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['forecasts'],
    queryFn: () => api<{ items: Series[] }>('/analytics/forecasts'),
  });
  const current = selected ?? (list.data?.items[0] ? keyOf(list.data.items[0]) : null);
  const detail = useQuery({
    queryKey: ['forecast', current],
    enabled: current !== null,
    queryFn: () => {
      const [categoryKey, areaCode] = (current as string).split('|') as [string, string];
      return api<Detail>('/analytics/forecasts/series', { query: { categoryKey, areaCode, days: 56 } });
    },
  });
  const alerts = useQuery({
    queryKey: ['forecast-alerts'],
    queryFn: () =>
      api<{ items: AlertRow[]; total: number }>('/analytics/forecasts/alerts', { query: { limit: 50 } }),
  });
  const run = useMutation({
    mutationFn: () => api('/analytics/forecasts/runs', { body: {} }),
    onSuccess: () => setTimeout(() => void client.invalidateQueries({ queryKey: ['forecasts'] }), 5000),
  });

  const option = useMemo(() => {
    const d = detail.data;
    if (!d) return {};
    const days = [...new Set([...d.actual.map((a) => a.day), ...d.bands.map((b) => b.day)])].sort();
    const actual = new Map(d.actual.map((a) => [a.day, a.n]));
    const band = new Map(d.bands.map((b) => [b.day, b]));
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('forecast.actual'), t('forecast.point'), t('forecast.band')] },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', min: 0 },
      series: [
        {
          name: 'lower',
          type: 'line',
          stack: 'band',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          data: days.map((x) => band.get(x)?.lower ?? null),
        },
        {
          name: t('forecast.band'),
          type: 'line',
          stack: 'band',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          areaStyle: { color: '#91caff', opacity: 0.5 },
          data: days.map((x) => {
            const b = band.get(x);
            return b ? b.upper - b.lower : null;
          }),
        },
        {
          name: t('forecast.point'),
          type: 'line',
          symbol: 'none',
          lineStyle: { type: 'dashed' },
          data: days.map((x) => band.get(x)?.point ?? null),
        },
        {
          name: t('forecast.actual'),
          type: 'line',
          data: days.map((x) => actual.get(x) ?? (x <= d.asOf ? 0 : null)),
        },
      ],
    };
  }, [detail.data, t]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.forecasts')}
        </Typography.Title>
        <Button onClick={() => run.mutate()} loading={run.isPending} data-testid="forecast-run">
          {t('forecast.run')}
        </Button>
        {run.isSuccess && <Tag color="blue">{t('forecast.started')}</Tag>}
      </Space>
      {(list.error || run.error) && <Alert type="error" message={errorText(list.error ?? run.error)} />}
      <Card
        size="small"
        title={detail.data ? `${detail.data.categoryName} · ${detail.data.areaName}` : t('forecast.series')}
      >
        {detail.data && detail.data.method === 'baseline' && (
          <Alert type="info" showIcon style={{ marginBottom: 8 }} message={detail.data.reasonText[lang]} />
        )}
        <EChart option={option} style={{ height: 300 }} testId="forecast-chart" />
      </Card>
      <Card size="small" title={t('forecast.backtest')}>
        <Table<Series>
          rowKey={keyOf}
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 15 }}
          onRow={(r) => ({ onClick: () => setSelected(keyOf(r)), style: { cursor: 'pointer' } })}
          rowClassName={(r) => (keyOf(r) === current ? 'ant-table-row-selected' : '')}
          columns={[
            { title: t('forecast.category'), dataIndex: 'categoryName' },
            { title: t('forecast.area'), dataIndex: 'areaName' },
            { title: t('forecast.meanPerDay'), dataIndex: 'meanPerDay', render: (v: number) => v.toFixed(1) },
            {
              title: t('forecast.method'),
              dataIndex: 'method',
              render: (m: string, r) => (
                <Tag color={m === 'prophet' ? 'green' : 'default'} title={r.reasonText[lang]}>
                  {t(`forecast.methods.${m}`)}
                </Tag>
              ),
            },
            {
              title: 'MASE',
              render: (_, r) => `${f(r.backtest.model?.mase)} / ${f(r.backtest.baseline?.mase)}`,
            },
            {
              title: 'MAPE %',
              render: (_, r) => `${f(r.backtest.model?.mape, 1)} / ${f(r.backtest.baseline?.mape, 1)}`,
            },
            {
              title: t('forecast.weeklyMape'),
              render: (_, r) =>
                `${f(r.backtest.model?.weeklyMape, 1)} / ${f(r.backtest.baseline?.weeklyMape, 1)}`,
            },
            {
              title: t('forecast.nextWeek'),
              render: (_, r) =>
                r.weeks[0]
                  ? `${r.weeks[0].point.toFixed(0)} (${r.weeks[0].lower.toFixed(0)}–${r.weeks[0].upper.toFixed(0)})`
                  : '—',
            },
          ]}
        />
        <Typography.Text type="secondary">{t('forecast.legend')}</Typography.Text>
      </Card>
      <Card size="small" title={t('forecast.alerts', { n: alerts.data?.total ?? 0 })}>
        <Table<AlertRow>
          rowKey="id"
          size="small"
          loading={alerts.isLoading}
          dataSource={alerts.data?.items ?? []}
          pagination={false}
          columns={[
            { title: t('forecast.day'), dataIndex: 'day' },
            { title: t('forecast.category'), dataIndex: 'categoryName' },
            { title: t('forecast.area'), dataIndex: 'areaName' },
            { title: t('forecast.actual'), dataIndex: 'actual' },
            { title: t('forecast.point'), dataIndex: 'expected', render: (v: number) => v.toFixed(1) },
            { title: t('forecast.upper'), dataIndex: 'upper', render: (v: number) => v.toFixed(1) },
            { title: t('forecast.notified'), dataIndex: 'notified' },
            {
              title: t('forecast.cases'),
              render: (_, r) =>
                `${r.cases
                  .slice(0, 5)
                  .map((c) => c.number ?? c.id)
                  .join('、')}${r.cases.length > 5 ? ` … (${r.cases.length})` : ''}`,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
