import { Table, type TablePaginationConfig, Typography } from 'antd';
import type { ColumnsType, ColumnType } from 'antd/es/table';
import type { TableRowSelection } from 'antd/es/table/interface';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CaseView } from '../../api/types';
import { formatTime } from './format';
import { LightDot } from './LightDot';
import { StateTag } from './StateTag';

export interface CaseTableProps {
  items: CaseView[] | undefined;
  loading?: boolean;
  pagination?: TablePaginationConfig | false;
  /** When the data was fetched: the time-left labels count from it. */
  now?: number;
  /** More room (search results); the source column is always shown. */
  wide?: boolean;
  /** Row check boxes (batch actions on a queue). */
  rowSelection?: TableRowSelection<CaseView>;
  /** A last column (a queue's quick action). */
  actionColumn?: ColumnType<CaseView>;
}

/** The case list every workspace and the search page show; a row opens the case. */
export function CaseTable({
  items,
  loading,
  pagination = false,
  now,
  wide,
  rowSelection,
  actionColumn,
}: CaseTableProps) {
  const { t } = useTranslation('cases');
  const navigate = useNavigate();
  const columns: ColumnsType<CaseView> = [
    {
      title: t('table.number'),
      dataIndex: 'number',
      width: 180,
      render: (n: string, c) => (
        <Typography.Link
          onClick={(e) => {
            e.stopPropagation();
            navigate(`/cases/${c.id}`);
          }}
          style={{ whiteSpace: 'nowrap' }}
        >
          {n}
        </Typography.Link>
      ),
    },
    {
      title: t('table.category'),
      key: 'category',
      width: 120,
      ellipsis: true,
      render: (_, c) => c.category.name,
    },
    { title: t('table.address'), dataIndex: 'address', ellipsis: true },
    {
      title: t('table.source'),
      key: 'source',
      width: 96,
      render: (_: unknown, c: CaseView) => t(`source.${c.source}`),
    },
    {
      title: t('table.state'),
      key: 'state',
      width: 90,
      render: (_, c) => <StateTag state={c.state} label={c.stateLabel} />,
    },
    {
      title: t('table.deadline'),
      key: 'light',
      width: 140,
      render: (_, c) => (
        <LightDot
          light={c.clock?.light}
          deadline={c.clock?.deadline}
          suspended={c.clock?.suspended}
          now={now}
        />
      ),
    },
    {
      title: t('table.reportedAt'),
      dataIndex: 'reportedAt',
      width: 130,
      render: (v: string) => formatTime(v),
    },
    {
      title: t('table.department'),
      key: 'department',
      width: 130,
      ellipsis: true,
      render: (_, c) => c.department?.name ?? '—',
    },
    ...(actionColumn ? [actionColumn] : []),
  ];
  return (
    <Table<CaseView>
      data-testid="case-table"
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={pagination}
      rowSelection={rowSelection}
      // Room for the address (the only flexible column) before the table scrolls sideways.
      scroll={{ x: (wide ? 1080 : 1076) + (actionColumn ? 110 : 0) }}
      onRow={(c) =>
        ({
          // A row opens its case, except a click on its check box or its quick action.
          onClick: (e: React.MouseEvent<HTMLElement>) => {
            if ((e.target as HTMLElement).closest('.ant-table-selection-column, button, .ant-checkbox'))
              return;
            navigate(`/cases/${c.id}`);
          },
          style: { cursor: 'pointer' },
          'data-case-number': c.number,
        }) as HTMLAttributes<HTMLElement>
      }
    />
  );
}
