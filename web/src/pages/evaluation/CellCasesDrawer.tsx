/** The cases behind one cell of a hot-spot analysis (GET /analytics/hotspots/cases), paged. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Drawer, Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useErrorText } from '../../components/errors';
import type { Params } from './hotspots-shared';

interface CellCase {
  id: number;
  number: string;
  state: string;
  address: string;
  categoryName: string;
  reportedAt: string;
}
interface Page {
  items: CellCase[];
  total: number;
}

const PAGE = 20;

export function CellCasesDrawer(props: {
  cell: string | null;
  onClose: () => void;
  query: Params & { from: string; to: string };
}) {
  const { t } = useTranslation('evaluation');
  const errorText = useErrorText();
  const [page, setPage] = useState(1);
  const { cell } = props;
  const q = useQuery({
    queryKey: ['analytics', 'cell-cases', cell, props.query, page],
    queryFn: ({ signal }) =>
      api<Page>('/analytics/hotspots/cases', {
        signal,
        query: { ...props.query, cell: cell!, limit: PAGE, offset: (page - 1) * PAGE },
      }),
    enabled: cell !== null,
  });
  return (
    <Drawer
      open={cell !== null}
      onClose={() => {
        setPage(1);
        props.onClose();
      }}
      width={720}
      title={t('hotspots.cellCases', { cell: cell ?? '', n: q.data?.total ?? '…' })}
      data-testid="hotspot-cases"
    >
      {q.isError && <Alert type="error" showIcon message={errorText(q.error)} />}
      <Table<CellCase>
        size="small"
        rowKey="id"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        pagination={{ current: page, pageSize: PAGE, total: q.data?.total ?? 0, onChange: setPage }}
        columns={[
          {
            title: t('drill.number'),
            dataIndex: 'number',
            width: 210,
            render: (n: string, c) => (
              <Link to={`/cases/${c.id}`} data-testid="hotspot-case">
                {n}
              </Link>
            ),
          },
          { title: t('drill.category'), dataIndex: 'categoryName', ellipsis: true },
          {
            title: t('hotspots.col.state'),
            dataIndex: 'state',
            width: 80,
            render: (s: string) => t(`cases:state.${s}`, { defaultValue: s }),
          },
          {
            title: t('hotspots.col.reportedAt'),
            dataIndex: 'reportedAt',
            width: 130,
            render: (v: string) => dayjs(v).format('MM-DD HH:mm'),
          },
          { title: t('hotspots.col.address'), dataIndex: 'address', ellipsis: true },
        ]}
      />
    </Drawer>
  );
}
