/** The cases behind one figure of one subject (GET /evaluation/drilldown); each links to the case. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Drawer, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useErrorText } from '../../components/errors';
import { pick } from '../../i18n';
import type { DrillCase, Drilldown, SubjectType } from './shared';

export interface DrillTarget {
  subjectType: SubjectType;
  subject: string;
  subjectName: string;
  indicator: string;
  part: 'numerator' | 'denominator';
  period: Record<string, string>;
}

export function DrilldownDrawer({ target, onClose }: { target: DrillTarget | null; onClose: () => void }) {
  const { t, i18n } = useTranslation('evaluation');
  const errorText = useErrorText();
  const q = useQuery({
    queryKey: ['evaluation', 'drilldown', target],
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
            }
          : {},
      }),
  });
  const d = q.data;
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
        {d ? t('drill.count', { n: d.count }) : null}
      </div>
      <Table<DrillCase>
        data-testid="drilldown-table"
        size="small"
        rowKey="id"
        loading={q.isLoading}
        dataSource={d?.cases ?? []}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          {
            title: t('drill.number'),
            dataIndex: 'number',
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
            render: (s: string) => t(`cases:source.${s}`, { defaultValue: s }),
          },
          {
            title: t('drill.state'),
            dataIndex: 'state',
            render: (s: string) => <Tag>{t(`cases:state.${s}`, { defaultValue: s })}</Tag>,
          },
          {
            title: t('drill.reportedAt'),
            dataIndex: 'reportedAt',
            render: (v: string) => dayjs(v).format('MM-DD HH:mm'),
          },
        ]}
      />
    </Drawer>
  );
}
