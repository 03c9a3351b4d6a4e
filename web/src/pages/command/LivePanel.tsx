/** The command view's side panel: live counts, open cases by state (chart), supervisors on the map. */
import { ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Skeleton, Spin, Statistic, Tag, Tooltip, Typography } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseState, STATE_LABELS } from '../../../../src/domain/workflow/states';
import type { LiveFeed } from '../../api/live';
import { pick } from '../../i18n';
import type { SupervisorPosition } from '../../map/layers/supervisors';
import { EChart } from './EChart';
import { LightDot } from './LightDot';

const FEED_BADGE = { live: 'processing', polling: 'warning', connecting: 'default', ended: 'error' } as const;

function FeedIndicator({ state }: { state: LiveFeed['state'] }) {
  const { t } = useTranslation('command');
  return (
    <Tooltip title={t(`feed.${state}Hint`)}>
      <span data-testid="live-indicator" data-state={state}>
        <Badge status={FEED_BADGE[state]} text={t(`feed.${state}`)} />
      </span>
    </Tooltip>
  );
}

function Counts({ feed }: { feed: LiveFeed }) {
  const { t } = useTranslation('command');
  const c = feed.counts;
  if (!c) return <Skeleton active paragraph={{ rows: 3 }} />;
  const cell = (key: string, label: string, value: number, color?: string) => (
    <div className="command-stat" data-testid={`count-${key}`} data-value={value}>
      <Statistic
        title={label}
        value={value}
        styles={{ content: { fontSize: 20, ...(color ? { color } : {}) } }}
      />
    </div>
  );
  return (
    <>
      <div className="command-stats">
        {cell('open', t('counts.open'), c.open)}
        {cell('reported-today', t('counts.reportedToday'), c.reportedToday)}
        {cell('closed-today', t('counts.closedToday'), c.closedToday)}
        {cell('overdue', t('counts.overdue'), c.overdue, c.overdue > 0 ? '#cf1322' : undefined)}
      </div>
      <div className="command-lights">
        {(['red', 'yellow', 'green', 'none'] as const).map((l) => (
          <span key={l} data-testid={`count-${l}`} data-value={c.byLight[l]}>
            <LightDot light={l} /> {t(`light.${l}`)} <b>{c.byLight[l]}</b>
          </span>
        ))}
      </div>
    </>
  );
}

function StateChart({ feed }: { feed: LiveFeed }) {
  const { t, i18n } = useTranslation('command');
  const byStatus = feed.counts?.byStatus;
  const option = useMemo<EChartsCoreOption>(() => {
    const rows = Object.entries(byStatus ?? {})
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .reverse();
    return {
      animation: false,
      grid: { left: 8, right: 32, top: 4, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } } },
      yAxis: {
        type: 'category',
        data: rows.map(([s]) => pick(STATE_LABELS[s as CaseState], i18n.language) || s),
        axisTick: { show: false },
      },
      series: [
        {
          type: 'bar',
          name: t('chart.open'),
          data: rows.map(([, n]) => n),
          itemStyle: { color: '#1677ff' },
          barMaxWidth: 14,
          label: { show: true, position: 'right' },
        },
      ],
    };
  }, [byStatus, i18n.language, t]);
  if (!feed.counts) return null;
  if (feed.counts.open === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('chart.empty')} />;
  return <EChart option={option} testId="command-chart" style={{ height: 220 }} />;
}

function Supervisors({
  items,
  loading,
  onLocate,
  onRefresh,
}: {
  items: SupervisorPosition[] | undefined;
  loading: boolean;
  onLocate: (s: SupervisorPosition) => void;
  onRefresh: () => void;
}) {
  const { t } = useTranslation('command');
  const sorted = useMemo(
    () =>
      [...(items ?? [])].sort(
        (a, b) =>
          Number(b.onDuty) - Number(a.onDuty) ||
          (a.last?.minutesAgo ?? Number.POSITIVE_INFINITY) - (b.last?.minutesAgo ?? Number.POSITIVE_INFINITY),
      ),
    [items],
  );
  const onDuty = sorted.filter((s) => s.onDuty).length;
  return (
    <>
      <Typography.Title level={5} className="command-heading">
        {t('supervisors.title')}{' '}
        <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
          {t('supervisors.summary', { onDuty, total: sorted.length })}
        </Typography.Text>
        <Tooltip title={t('supervisors.refresh')}>
          <Button
            type="text"
            size="small"
            icon={<ReloadOutlined />}
            aria-label={t('supervisors.refresh')}
            data-testid="supervisors-refresh"
            onClick={onRefresh}
          />
        </Tooltip>
      </Typography.Title>
      <Spin spinning={loading} size="small">
        <ul className="command-sup-list" data-testid="supervisor-list">
          {sorted.length === 0 && !loading ? (
            <li className="command-sup-empty">
              <Typography.Text type="secondary">{t('supervisors.empty')}</Typography.Text>
            </li>
          ) : null}
          {sorted.map((s) => (
            <li
              key={s.user.id}
              data-testid={`supervisor-${s.user.username}`}
              data-on-duty={s.onDuty}
              className={s.last ? 'command-clickable' : undefined}
            >
              <button type="button" disabled={!s.last} onClick={() => s.last && onLocate(s)}>
                <span>
                  <span className={`command-sup-dot ${s.onDuty ? 'on' : 'off'}`} /> {s.user.name}
                </span>
                <span>
                  {s.onDuty ? (
                    <Tag color="blue">{t('supervisors.onDuty')}</Tag>
                  ) : (
                    <Tag>{t('supervisors.offDuty')}</Tag>
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {s.last
                      ? t('supervisors.minutesAgo', { count: s.last.minutesAgo })
                      : t('supervisors.noFix')}
                  </Typography.Text>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </Spin>
    </>
  );
}

export function LivePanel({
  feed,
  supervisors,
  supervisorsLoading,
  onLocate,
  onRefreshSupervisors,
}: {
  feed: LiveFeed;
  supervisors: SupervisorPosition[] | undefined;
  supervisorsLoading: boolean;
  onLocate: (s: SupervisorPosition) => void;
  onRefreshSupervisors: () => void;
}) {
  const { t, i18n } = useTranslation('command');
  const last = feed.lastCase;
  return (
    <aside className="command-panel" data-testid="live-panel">
      <div className="command-panel-head">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('counts.title')}
        </Typography.Title>
        <FeedIndicator state={feed.state} />
      </div>
      <Counts feed={feed} />
      {last ? (
        <Typography.Text type="secondary" className="command-last" data-testid="last-case">
          {t('feed.lastCase', {
            number: last.number,
            state: pick(STATE_LABELS[last.status as CaseState], i18n.language) || last.status,
          })}
        </Typography.Text>
      ) : null}
      <Typography.Title level={5} className="command-heading">
        {t('chart.title')}
      </Typography.Title>
      <StateChart feed={feed} />
      <Supervisors
        items={supervisors}
        loading={supervisorsLoading}
        onLocate={onLocate}
        onRefresh={onRefreshSupervisors}
      />
    </aside>
  );
}
