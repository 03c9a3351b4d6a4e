/**
 * 公众上报审核: citizen descriptions and rating comments wait here until a centre user approves
 * them for the public portal (先审后发); flagged text (banned words, phone or ID numbers) first.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, apiAllPages } from '../../api/client';
import { useErrorText } from '../../components/errors';

type State = 'pending' | 'approved' | 'rejected';

interface ModerationItem {
  id: number;
  kind: 'description' | 'comment';
  body: string;
  state: State;
  flags: string[];
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
  case: { id: number; number: string; districtCode: string };
}

const time = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

function FlagTags({ flags }: { flags: string[] }) {
  const { t } = useTranslation('public');
  return (
    <Space size={4} wrap>
      {flags.map((f) => {
        const [kind, value] = f.split(':', 2);
        const text =
          kind === 'banned'
            ? t('moderation.flags.banned', { word: value })
            : t(`moderation.flags.${value === 'id_card' ? 'id_card' : 'phone'}`);
        return (
          <Tag key={f} color="red">
            {text}
          </Tag>
        );
      })}
    </Space>
  );
}

export function ModerationPage() {
  const { t } = useTranslation('public');
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [state, setState] = useState<State>('pending');
  const [publishPhotos, setPublishPhotos] = useState<Record<number, boolean>>({});
  const [rejecting, setRejecting] = useState<ModerationItem | null>(null);
  const [reason, setReason] = useState('');

  const list = useQuery({
    queryKey: ['public', 'moderation', state],
    queryFn: async () => ({
      items: await apiAllPages<ModerationItem>('/public/moderation', { state, limit: 200 }),
    }),
  });
  const decide = useMutation({
    mutationFn: (v: {
      id: number;
      decision: 'approve' | 'reject';
      reason?: string;
      publishPhotos?: boolean;
    }) =>
      api(`/public/moderation/${v.id}`, {
        body: { decision: v.decision, reason: v.reason, publishPhotos: v.publishPhotos ?? false },
      }),
    onSuccess: (_, v) => {
      void message.success(t(v.decision === 'approve' ? 'moderation.approved' : 'moderation.rejected'));
      setRejecting(null);
      setReason('');
      void queryClient.invalidateQueries({ queryKey: ['public', 'moderation'] });
    },
    onError: (err) => void message.error(errorText(err)),
  });

  const pending = state === 'pending';
  return (
    <Card title={t('moderation.title')} size="small" styles={{ body: { padding: 12 } }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {t('moderation.hint')}
      </Typography.Paragraph>
      <Segmented<State>
        data-testid="moderation-state"
        value={state}
        onChange={setState}
        options={(['pending', 'approved', 'rejected'] as const).map((s) => ({
          value: s,
          label: t(`moderation.states.${s}`),
        }))}
        style={{ marginBottom: 12 }}
      />
      {list.error ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Table<ModerationItem>
        data-testid="moderation-table"
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('moderation.empty') }}
        columns={[
          { title: t('moderation.columns.createdAt'), width: 140, render: (_, r) => time(r.createdAt) },
          {
            title: t('moderation.columns.case'),
            width: 190,
            render: (_, r) => <Link to={`/cases/${r.case.id}`}>{r.case.number}</Link>,
          },
          {
            title: t('moderation.columns.kind'),
            width: 90,
            render: (_, r) => t(`moderation.kind.${r.kind}`),
          },
          {
            title: t('moderation.columns.body'),
            render: (_, r) => (
              <Space direction="vertical" size={2}>
                <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.body}</Typography.Text>
                {r.reason ? (
                  <Typography.Text type="secondary">
                    {t('moderation.reason', { reason: r.reason })}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('moderation.columns.flags'),
            width: 170,
            render: (_, r) => <FlagTags flags={r.flags} />,
          },
          {
            title: t('moderation.columns.decision'),
            width: pending ? 230 : 150,
            render: (_, r) =>
              pending ? (
                <Space direction="vertical" size={4}>
                  {r.kind === 'description' ? (
                    <Checkbox
                      checked={publishPhotos[r.id] ?? false}
                      onChange={(e) => setPublishPhotos((p) => ({ ...p, [r.id]: e.target.checked }))}
                    >
                      {t('moderation.publishPhotos')}
                    </Checkbox>
                  ) : null}
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      data-testid="moderation-approve"
                      loading={decide.isPending && decide.variables?.id === r.id}
                      onClick={() =>
                        decide.mutate({
                          id: r.id,
                          decision: 'approve',
                          publishPhotos: publishPhotos[r.id] ?? false,
                        })
                      }
                    >
                      {t('moderation.approve')}
                    </Button>
                    <Button
                      size="small"
                      danger
                      data-testid="moderation-reject"
                      onClick={() => setRejecting(r)}
                    >
                      {t('moderation.reject')}
                    </Button>
                  </Space>
                </Space>
              ) : (
                <Typography.Text type="secondary">
                  {r.decidedAt ? t('moderation.decidedAt', { at: time(r.decidedAt) }) : null}
                </Typography.Text>
              ),
          },
        ]}
      />
      <Modal
        open={rejecting !== null}
        title={t('moderation.rejectTitle')}
        okText={t('moderation.reject')}
        okButtonProps={{ danger: true, disabled: !reason.trim(), 'data-testid': 'moderation-reject-confirm' }}
        confirmLoading={decide.isPending}
        onCancel={() => setRejecting(null)}
        onOk={() =>
          rejecting && decide.mutate({ id: rejecting.id, decision: 'reject', reason: reason.trim() })
        }
      >
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }}>
          {rejecting?.body}
        </Typography.Paragraph>
        <Input.TextArea
          data-testid="moderation-reason"
          rows={3}
          maxLength={500}
          value={reason}
          placeholder={t('moderation.rejectPlaceholder')}
          onChange={(e) => setReason(e.target.value)}
        />
        {!reason.trim() ? (
          <Typography.Text type="secondary">{t('moderation.reasonRequired')}</Typography.Text>
        ) : null}
      </Modal>
    </Card>
  );
}
