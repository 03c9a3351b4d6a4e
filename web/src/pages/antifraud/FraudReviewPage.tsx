/** 采集质量疑点复核: the anti-fraud flags of supervisors' reports, confirmed or dismissed with a reason. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Image, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';

type Status = 'open' | 'confirmed' | 'dismissed' | 'all';
type Label = { zh: string; en: string };

interface Flag {
  id: number;
  kind: string;
  label: Label;
  status: Exclude<Status, 'all'>;
  evidence: Record<string, string | number>;
  reason: string | null;
  reviewedBy: string | null;
  case: {
    id: number;
    number: string;
    reportedAt: string;
    address: string;
    category: string;
    photos: string[];
  };
  related: { id: number; number: string } | null;
  reporter: { name: string; username: string; company: { name: string } | null };
}

interface Queue {
  items: Flag[];
  summary: Array<{ kind: string; label: Label; open: number; confirmed: number; dismissed: number }>;
}

const STATUS_COLOR = { open: 'gold', confirmed: 'red', dismissed: 'default' } as const;

export function FraudReviewPage() {
  const { t, i18n } = useTranslation('antifraud');
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const { message } = App.useApp();
  const showError = useShowError();
  const client = useQueryClient();
  const [status, setStatus] = useState<Status>('open');
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const queue = useQuery({
    queryKey: ['antifraud', 'flags', status],
    queryFn: () => api<Queue>('/antifraud/flags', { query: { status, limit: 200 } }),
  });
  const review = useMutation({
    mutationFn: ({ id, decision }: { id: number; decision: 'confirm' | 'dismiss' }) =>
      api<Flag>(`/antifraud/flags/${id}/review`, { body: { decision, reason: reasons[id] ?? '' } }),
    onSuccess: () => {
      void message.success(t('reviewed'));
      void client.invalidateQueries({ queryKey: ['antifraud', 'flags'] });
    },
    onError: showError,
  });
  const decide = (id: number, decision: 'confirm' | 'dismiss') => {
    if (!(reasons[id] ?? '').trim()) return void message.warning(t('reasonRequired'));
    review.mutate({ id, decision });
  };
  return (
    <Card
      size="small"
      title={t('menu.review')}
      extra={
        <Segmented<Status>
          value={status}
          onChange={setStatus}
          options={(['open', 'confirmed', 'dismissed', 'all'] as const).map((s) => ({
            value: s,
            label: t(`status.${s}`),
          }))}
        />
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        {(queue.data?.summary ?? [])
          .filter((s) => s.open + s.confirmed + s.dismissed > 0)
          .map((s) => (
            <Tag key={s.kind}>{t('summary', { ...s, label: s.label[lang] })}</Tag>
          ))}
      </Space>
      <Table<Flag>
        rowKey="id"
        size="small"
        loading={queue.isLoading}
        dataSource={queue.data?.items ?? []}
        locale={{ emptyText: t('empty') }}
        pagination={{ pageSize: 20 }}
        columns={[
          {
            title: t('kind'),
            key: 'kind',
            render: (_, f) => (
              <Space direction="vertical" size={0}>
                <span>{f.label[lang]}</span>
                <Tag color={STATUS_COLOR[f.status]}>{t(`status.${f.status}`)}</Tag>
              </Space>
            ),
          },
          {
            title: t('case'),
            key: 'case',
            render: (_, f) => (
              <Space direction="vertical" size={0}>
                <Link to={`/cases/${f.case.id}`}>{f.case.number}</Link>
                <Typography.Text type="secondary">
                  {f.case.category} · {f.case.address}
                </Typography.Text>
                <span>
                  {t('reportedAt')} {dayjs(f.case.reportedAt).format('MM-DD HH:mm')}
                </span>
              </Space>
            ),
          },
          {
            title: t('photos'),
            key: 'photos',
            width: 96,
            render: (_, f) =>
              f.case.photos[0] ? <Image width={80} src={f.case.photos[0]} alt={f.case.number} /> : null,
          },
          {
            title: t('reporter'),
            key: 'reporter',
            render: (_, f) => (
              <Space direction="vertical" size={0}>
                <span>{f.reporter.name}</span>
                <Typography.Text type="secondary">{f.reporter.company?.name ?? ''}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('evidence'),
            key: 'evidence',
            render: (_, f) => (
              <Space direction="vertical" size={0}>
                {Object.entries(f.evidence).map(([k, v]) => (
                  <span key={k}>
                    {k}: {String(v)}
                  </span>
                ))}
                {f.related ? (
                  <span>
                    {t('related')} <Link to={`/cases/${f.related.id}`}>{f.related.number}</Link>
                  </span>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('actions'),
            key: 'actions',
            width: 260,
            render: (_, f) =>
              f.status === 'open' ? (
                <Space direction="vertical" size={4} style={{ width: '100%' }}>
                  <Input
                    size="small"
                    placeholder={t('reason')}
                    maxLength={500}
                    value={reasons[f.id] ?? ''}
                    onChange={(e) => setReasons((r) => ({ ...r, [f.id]: e.target.value }))}
                  />
                  <Space>
                    <Button
                      size="small"
                      danger
                      onClick={() => decide(f.id, 'confirm')}
                      loading={review.isPending}
                    >
                      {t('confirm')}
                    </Button>
                    <Button size="small" onClick={() => decide(f.id, 'dismiss')} loading={review.isPending}>
                      {t('dismiss')}
                    </Button>
                  </Space>
                </Space>
              ) : (
                <Typography.Text type="secondary">
                  {f.reviewedBy}: {f.reason}
                </Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}
