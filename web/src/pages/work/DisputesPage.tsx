/**
 * 权属确认 (coordinators): ownership disputes at the city collaboration platform with each
 * candidate's answer, the claim deadline counting down, and the decision form.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ActionLauncher } from '../../components/actions/ActionLauncher';
import type { Dispute } from '../../components/actions/disputes';
import { useErrorText } from '../../components/errors';
import { formatDuration, useNow } from './time';

type Status = 'open' | 'settled' | 'all';
const PAGE = 50;

function Deadline({ d, now }: { d: Dispute; now: number }) {
  const { t, i18n } = useTranslation('work');
  const left = new Date(d.claimDeadline).getTime() - now;
  const at = dayjs(d.claimDeadline).format('MM-DD HH:mm');
  if (d.status !== 'open') return <span>{at}</span>;
  const light = left <= 0 ? 'red' : left < 2 * 3_600_000 ? 'yellow' : 'green';
  return (
    <div data-testid={`deadline-${d.case.id}`}>
      <Space size={6}>
        <span className={`light light-${light}`} />
        <span>{at}</span>
      </Space>
      <div>
        <Typography.Text type={left <= 0 ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {left <= 0
            ? t('disputes.passed')
            : t('disputes.left', { time: formatDuration(left, i18n.language) })}
        </Typography.Text>
      </div>
    </div>
  );
}

export function DisputesPage() {
  const { t } = useTranslation('work');
  const errorText = useErrorText();
  const now = useNow();
  const [status, setStatus] = useState<Status>('open');
  const [offset, setOffset] = useState(0);
  const [settling, setSettling] = useState<number | null>(null);
  const list = useQuery({
    queryKey: ['work', 'disputes', status, offset],
    queryFn: () =>
      api<{ items: Dispute[] }>('/ownership-disputes', { query: { status, limit: PAGE, offset } }),
  });
  const items = list.data?.items ?? [];

  return (
    <Card
      title={t('disputes.title')}
      extra={
        <Segmented<Status>
          value={status}
          onChange={(v) => {
            setStatus(v);
            setOffset(0);
          }}
          options={(['open', 'settled', 'all'] as const).map((s) => ({
            value: s,
            label: t(`disputes.status.${s}`),
          }))}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('disputes.subtitle')}</Typography.Paragraph>
      <Table<Dispute>
        data-testid="disputes-table"
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: list.isError ? errorText(list.error) : t('disputes.empty') }}
        scroll={{ x: 1130 }}
        columns={[
          {
            title: t('disputes.number'),
            key: 'number',
            width: 180,
            render: (_, d) => (
              <Link to={`/cases/${d.case.id}`} data-testid={`dispute-case-${d.case.id}`}>
                {d.case.number}
              </Link>
            ),
          },
          {
            title: t('disputes.category'),
            key: 'category',
            width: 120,
            render: (_, d) => `${d.case.category.code} ${d.case.category.name}`,
          },
          {
            title: t('disputes.address'),
            key: 'address',
            width: 150,
            ellipsis: true,
            render: (_, d) => d.case.address,
          },
          {
            title: t('disputes.reason'),
            key: 'reason',
            width: 160,
            ellipsis: true,
            render: (_, d) => (
              <Tooltip title={`${d.openedBy ?? ''} ${dayjs(d.openedAt).format('YYYY-MM-DD HH:mm')}`}>
                {d.reason}
              </Tooltip>
            ),
          },
          {
            title: t('disputes.deadline'),
            key: 'deadline',
            width: 230,
            render: (_, d) => <Deadline d={d} now={now} />,
          },
          {
            title: t('disputes.claims'),
            key: 'claims',
            width: 220,
            render: (_, d) => (
              <Space size={[4, 4]} wrap data-testid={`claims-${d.case.id}`}>
                {d.candidates.map((c) => (
                  <Tooltip key={c.department.code} title={c.reason ?? undefined}>
                    <Tag
                      color={
                        c.response === 'claimed' ? 'green' : c.response === 'declined' ? 'red' : 'default'
                      }
                    >
                      {c.department.name} · {t(`disputes.response.${c.response}`)}
                    </Tag>
                  </Tooltip>
                ))}
              </Space>
            ),
          },
          {
            title: t('disputes.decision'),
            key: 'decision',
            width: 130,
            fixed: 'right',
            render: (_, d) =>
              d.status === 'open' ? (
                <Button
                  type="primary"
                  size="small"
                  data-testid={`settle-${d.case.id}`}
                  onClick={() => setSettling(d.case.id)}
                >
                  {t('disputes.decide')}
                </Button>
              ) : d.decision ? (
                <Typography.Text data-testid={`decision-${d.case.id}`}>
                  <Tag>
                    {d.decision.mode === 'joint_meeting' ? t('disputes.meeting') : t('disputes.online')}
                  </Tag>
                  {d.decision.department.name}
                </Typography.Text>
              ) : (
                <Tag>{t(`disputes.status.${d.status}`)}</Tag>
              ),
          },
        ]}
      />
      {offset > 0 || items.length === PAGE ? (
        <Space style={{ marginTop: 12 }}>
          <Button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            ‹
          </Button>
          <Button disabled={items.length < PAGE} onClick={() => setOffset(offset + PAGE)}>
            ›
          </Button>
        </Space>
      ) : null}
      <ActionLauncher
        caseId={settling}
        action="settle_ownership"
        onClose={() => setSettling(null)}
        onDone={() => void list.refetch()}
      />
    </Card>
  );
}
