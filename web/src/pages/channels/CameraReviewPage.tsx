/** 视频AI待审核: events below their type's threshold, cleared one click each. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Image, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';

interface ReviewItem {
  id: number;
  deviceId: string;
  camera: { name: string; view: string | null };
  eventType: string;
  label: string;
  category: string;
  occurredAt: string;
  confidence: number;
  threshold: number;
  snapshotUrl: string | null;
  caseId: number | null;
}

export function CameraReviewPage() {
  const { t } = useTranslation('channels');
  const { message } = App.useApp();
  const showError = useShowError();
  const client = useQueryClient();
  const queue = useQuery({
    queryKey: ['camera', 'review'],
    queryFn: () => api<{ total: number; items: ReviewItem[] }>('/camera/review', { query: { limit: 100 } }),
  });
  const decide = useMutation({
    mutationFn: ({ id, verdict }: { id: number; verdict: 'accept' | 'reject' }) =>
      api<ReviewItem>(`/camera/events/${id}/${verdict}`, { method: 'POST' }),
    onSuccess: (item, { verdict }) => {
      void message.success(
        verdict === 'accept' ? t('review.accepted', { id: item.caseId }) : t('review.rejected'),
      );
      void client.invalidateQueries({ queryKey: ['camera', 'review'] });
    },
    onError: showError,
  });
  return (
    <Card
      size="small"
      title={t('menu.review')}
      extra={<span data-testid="review-total">{t('review.total', { n: queue.data?.total ?? 0 })}</span>}
    >
      <Table<ReviewItem>
        rowKey="id"
        size="small"
        loading={queue.isLoading}
        dataSource={queue.data?.items ?? []}
        locale={{ emptyText: t('review.empty') }}
        pagination={false}
        columns={[
          {
            title: t('review.snapshot'),
            key: 'snapshot',
            width: 96,
            render: (_, r) => (r.snapshotUrl ? <Image src={r.snapshotUrl} width={80} /> : null),
          },
          {
            title: t('review.camera'),
            key: 'camera',
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                <span>{r.camera.name}</span>
                <small>{r.deviceId}</small>
              </Space>
            ),
          },
          {
            title: t('review.type'),
            key: 'type',
            render: (_, r) => (
              <Space size={4}>
                <Tag>{r.label}</Tag>
                <span>{r.category}</span>
              </Space>
            ),
          },
          {
            title: t('review.confidence'),
            key: 'confidence',
            render: (_, r) => `${Math.round(r.confidence * 100)}% / ${Math.round(r.threshold * 100)}%`,
          },
          {
            title: t('review.time'),
            key: 'time',
            render: (_, r) => dayjs(r.occurredAt).format('MM-DD HH:mm:ss'),
          },
          {
            title: '',
            key: 'actions',
            render: (_, r) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  data-testid={`accept-${r.id}`}
                  loading={decide.isPending && decide.variables?.id === r.id}
                  onClick={() => decide.mutate({ id: r.id, verdict: 'accept' })}
                >
                  {t('review.accept')}
                </Button>
                <Button
                  size="small"
                  danger
                  data-testid={`reject-${r.id}`}
                  onClick={() => decide.mutate({ id: r.id, verdict: 'reject' })}
                >
                  {t('review.reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
