/**
 * The rows behind one figure of one subject (GET /evaluation/drilldown), a page at a time from the
 * server: the cases, each linking to the case, or — for the patrol coverage rate — the supervisors'
 * duty days with their hours on duty.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Drawer, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useErrorText } from '../../components/errors';
import { pick } from '../../i18n';
import type { DrillCase, Drilldown, DutyDay, SubjectType } from './shared';

export interface DrillTarget {
  subjectType: SubjectType;
  subject: string;
  subjectName: string;
  indicator: string;
  part: 'numerator' | 'denominator';
  period: Record<string, string>;
}

const PAGE = 50;
/** The figure whose rows are duty days; only a hint for the columns shown while its first page loads. */
const DUTY_INDICATOR = 'patrolCoverageRate';

function useCaseColumns(): ColumnsType<DrillCase> {
  const { t } = useTranslation('evaluation');
  return [
    {
      title: t('drill.number'),
      dataIndex: 'number',
      width: 210, // a case number on one line
      render: (n: string, c) => (
        <Link to={`/cases/${c.id}`} data-testid="drilldown-case">
          {n}
        </Link>
      ),
    },
    { title: t('drill.category'), dataIndex: 'categoryName', ellipsis: true },
    {
      title: t('drill.source'),
      dataIndex: 'source',
      width: 110,
      ellipsis: true,
      render: (s: string) => t(`cases:source.${s}`, { defaultValue: s }),
    },
    {
      title: t('drill.state'),
      dataIndex: 'state',
      width: 90,
      render: (s: string) => <Tag>{t(`cases:state.${s}`, { defaultValue: s })}</Tag>,
    },
    {
      title: t('drill.reportedAt'),
      dataIndex: 'reportedAt',
      width: 110,
      render: (v: string) => dayjs(v).format('MM-DD HH:mm'),
    },
  ];
}

function useDutyColumns(): ColumnsType<DutyDay> {
  const { t } = useTranslation('evaluation');
  return [
    { title: t('drill.supervisor'), dataIndex: 'userName', ellipsis: true },
    {
      title: t('drill.day'),
      dataIndex: 'day',
      width: 130,
      render: (day: string) => <span data-testid="drilldown-duty-day">{day}</span>,
    },
    {
      title: t('drill.dutyHours'),
      dataIndex: 'dutyMinutes',
      width: 150,
      align: 'right',
      render: (m: number) => (m / 60).toFixed(1),
    },
    {
      title: t('drill.covered'),
      dataIndex: 'covered',
      width: 130,
      align: 'center',
      render: (covered: boolean) =>
        covered ? (
          <Tag color="success" data-covered="true">
            ✓ {t('drill.yes')}
          </Tag>
        ) : (
          <Tag color="error" data-covered="false">
            ✗ {t('drill.no')}
          </Tag>
        ),
    },
  ];
}

export function DrilldownDrawer({ target, onClose }: { target: DrillTarget | null; onClose: () => void }) {
  const { t, i18n } = useTranslation('evaluation');
  const errorText = useErrorText();
  // The page belongs to the figure it was chosen for: another figure starts at page 1.
  const [paging, setPaging] = useState<{ target: DrillTarget | null; page: number }>({ target, page: 1 });
  const page = paging.target === target ? paging.page : 1;
  const q = useQuery({
    queryKey: ['evaluation', 'drilldown', target, page],
    enabled: target !== null,
    queryFn: ({ signal }) =>
      api<Drilldown>('/evaluation/drilldown', {
        signal,
        query: target
          ? {
              subjectType: target.subjectType,
              subject: target.subject,
              indicator: target.indicator,
              part: target.part,
              ...target.period,
              offset: (page - 1) * PAGE,
              limit: PAGE,
            }
          : {},
      }),
    // Turning pages keeps the last page on screen; another figure never shows this one's rows.
    placeholderData: (prev, prevQuery) =>
      prevQuery && JSON.stringify(prevQuery.queryKey[2]) === JSON.stringify(target) ? prev : undefined,
  });
  const caseColumns = useCaseColumns();
  const dutyColumns = useDutyColumns();
  const d = q.data;
  const duty = d ? d.dutyDays !== undefined : target?.indicator === DUTY_INDICATOR;
  const pagination = {
    current: page,
    pageSize: PAGE,
    total: d?.count ?? 0,
    showSizeChanger: false,
    hideOnSinglePage: true,
    onChange: (p: number) => setPaging({ target, page: p }),
  };
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size="large"
      title={
        d
          ? t('drill.title', {
              subject: d.subjectName,
              indicator: pick(d.indicator.label, i18n.language),
              part: t(`drill.${d.part}`),
            })
          : t('drill.loading')
      }
      destroyOnHidden
    >
      {q.error ? <Alert type="error" title={errorText(q.error)} /> : null}
      <div data-testid="drilldown-count" data-value={d?.count ?? ''} style={{ marginBottom: 8 }}>
        {d ? t(duty ? 'drill.dutyCount' : 'drill.count', { n: d.count }) : null}
      </div>
      {duty ? (
        <Table<DutyDay>
          data-testid="drilldown-duty-table"
          size="small"
          rowKey={(r) => `${r.userId}-${r.day}`}
          loading={q.isFetching}
          dataSource={d?.dutyDays ?? []}
          pagination={pagination}
          columns={dutyColumns}
        />
      ) : (
        <Table<DrillCase>
          data-testid="drilldown-table"
          size="small"
          rowKey="id"
          loading={q.isFetching}
          dataSource={d?.cases ?? []}
          pagination={pagination}
          columns={caseColumns}
        />
      )}
    </Drawer>
  );
}
