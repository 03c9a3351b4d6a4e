/** 12345 工单: orders from the hotline with their limits; 签收, 退单 and 答复 go back to 12345. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';

interface Order {
  id: number;
  orderNo: string;
  status: 'received' | 'signed' | 'returned' | 'replied' | 'reopened' | 'finished';
  round: number;
  caseId: number | null;
  caseNumber: string | null;
  caseState: string | null;
  appealType: string;
  content: string;
  urgency: string;
  deadlines: { sign: string | null; reply: string | null };
}

const RESULTS = ['解决', '未解决', '部分解决', '不办理退单'] as const;
const STATUS_COLOR: Record<Order['status'], string> = {
  received: 'orange',
  signed: 'blue',
  returned: 'default',
  replied: 'cyan',
  reopened: 'red',
  finished: 'green',
};

type Dialog = { kind: 'return' | 'reply'; order: Order } | null;

export function HotlineOrdersPage() {
  const { t } = useTranslation('channels');
  const { message } = App.useApp();
  const showError = useShowError();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm();
  const orders = useQuery({
    queryKey: ['hotline', 'orders'],
    queryFn: () => api<{ items: Order[] }>('/hotline/orders', { query: { limit: 200 } }),
  });
  const act = useMutation({
    mutationFn: ({ id, action, body }: { id: number; action: string; body?: unknown }) =>
      api<Order>(`/hotline/orders/${id}/${action}`, { method: 'POST', ...(body ? { body } : {}) }),
    onSuccess: () => {
      void message.success(t('hotline.done'));
      setDialog(null);
      form.resetFields();
      void client.invalidateQueries({ queryKey: ['hotline', 'orders'] });
    },
    onError: showError,
  });
  const time = (iso: string | null) => (iso ? dayjs(iso).format('MM-DD HH:mm') : '');
  return (
    <Card size="small" title={t('menu.hotline')}>
      <Table<Order>
        rowKey="id"
        size="small"
        loading={orders.isLoading}
        dataSource={orders.data?.items ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('hotline.orderNo'), dataIndex: 'orderNo' },
          { title: t('hotline.appealType'), dataIndex: 'appealType', width: 80 },
          { title: t('hotline.content'), dataIndex: 'content', ellipsis: true },
          {
            title: t('hotline.status'),
            key: 'status',
            render: (_, o) => (
              <Space size={4}>
                <Tag color={STATUS_COLOR[o.status]}>{t(`hotline.statuses.${o.status}`)}</Tag>
                {o.round > 0 ? <Tag color="red">{t('hotline.round', { n: o.round })}</Tag> : null}
              </Space>
            ),
          },
          {
            title: t('hotline.case'),
            key: 'case',
            render: (_, o) => (o.caseId ? <Link to={`/cases/${o.caseId}`}>{o.caseNumber}</Link> : null),
          },
          { title: t('hotline.signDue'), key: 'sign', render: (_, o) => time(o.deadlines.sign) },
          { title: t('hotline.replyDue'), key: 'reply', render: (_, o) => time(o.deadlines.reply) },
          {
            title: t('hotline.actions'),
            key: 'actions',
            render: (_, o) => (
              <Space size={4}>
                {o.status === 'received' ? (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => act.mutate({ id: o.id, action: 'sign' })}
                  >
                    {t('hotline.sign')}
                  </Button>
                ) : null}
                {o.status === 'received' || o.status === 'signed' ? (
                  <Button size="small" onClick={() => setDialog({ kind: 'return', order: o })}>
                    {t('hotline.return')}
                  </Button>
                ) : null}
                {o.status === 'signed' || o.status === 'reopened' ? (
                  <Button size="small" onClick={() => setDialog({ kind: 'reply', order: o })}>
                    {t('hotline.reply')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={dialog !== null}
        title={dialog ? `${t(`hotline.${dialog.kind}`)} ${dialog.order.orderNo}` : ''}
        onCancel={() => setDialog(null)}
        confirmLoading={act.isPending}
        onOk={() =>
          void form.validateFields().then((values) => {
            if (dialog) act.mutate({ id: dialog.order.id, action: dialog.kind, body: values });
          })
        }
      >
        <Form form={form} layout="vertical">
          {dialog?.kind === 'return' ? (
            <Form.Item name="reason" label={t('hotline.reason')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          ) : (
            <>
              <Form.Item name="result" label={t('hotline.result')} rules={[{ required: true }]}>
                <Select options={RESULTS.map((r) => ({ value: r, label: r }))} />
              </Form.Item>
              <Form.Item name="publicReply" label={t('hotline.publicReply')} rules={[{ required: true }]}>
                <Input.TextArea rows={4} maxLength={2000} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
