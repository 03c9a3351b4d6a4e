/**
 * 督办 (leaders): open cases that are overdue or on red (optionally yellow too), urged one by one
 * or in a batch with one note. GET /cases has no light filter yet, so the open cases in scope are
 * read page by page (up to MAX_CASES) and filtered here.
 */
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { CaseView } from '../../api/types';
import { ActionModal } from '../../components/actions/ActionModal';
import { useActOnCase } from '../../components/actions/act';
import { useErrorText } from '../../components/errors';
import { pick } from '../../i18n';
import { formatDuration, useNow } from './time';

type Filter = 'red' | 'yellow' | 'all';
const PAGE = 200;
const MAX_CASES = 2000;

async function openCases(): Promise<{ items: CaseView[]; truncated: boolean }> {
  const items: CaseView[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: CaseView[]; nextCursor: string | null } = await api('/cases', {
      query: { state: 'open', limit: PAGE, cursor },
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < MAX_CASES);
  return { items, truncated: cursor !== null };
}

const overdue = (c: CaseView, now: number) =>
  !!c.clock?.deadline && !c.clock.suspended && new Date(c.clock.deadline).getTime() < now;

function matches(c: CaseView, f: Filter, now: number): boolean {
  if (f === 'all') return true;
  if (overdue(c, now) || c.clock?.light === 'red') return true;
  return f === 'yellow' && c.clock?.light === 'yellow';
}

export function UrgePage() {
  const { t, i18n } = useTranslation('work');
  const { message } = App.useApp();
  const errorText = useErrorText();
  const act = useActOnCase();
  const now = useNow();
  const [filter, setFilter] = useState<Filter>('red');
  const [selected, setSelected] = useState<number[]>([]);
  const [one, setOne] = useState<CaseView | null>(null);
  const [batchOpen, setBatchOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const list = useQuery({ queryKey: ['work', 'urge-cases'], queryFn: openCases });
  const rows = (list.data?.items ?? []).filter((c) => matches(c, filter, now));

  const urgeSelected = async ({ reason }: { reason: string }) => {
    setBusy(true);
    let ok = 0;
    let failed = 0;
    for (const id of selected) {
      const c = list.data?.items.find((x) => x.id === id);
      if (!c) continue;
      try {
        await act(c.id, 'urge', c.version, { reason: reason.trim() });
        ok++;
      } catch {
        failed++;
      }
    }
    setBusy(false);
    setBatchOpen(false);
    setSelected([]);
    form.resetFields();
    void (failed ? message.warning : message.success)(t('urge.batchDone', { ok, failed }));
  };

  return (
    <Card
      title={t('urge.title')}
      extra={
        <Space>
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={(['red', 'yellow', 'all'] as const).map((f) => ({
              value: f,
              label: t(`urge.filter.${f}`),
            }))}
          />
          <Button
            type="primary"
            danger
            disabled={selected.length === 0}
            data-testid="urge-batch"
            onClick={() => setBatchOpen(true)}
          >
            {t('urge.batch', { count: selected.length })}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {t('urge.subtitle')}
        {list.data?.truncated ? ` · ${t('urge.truncated', { count: list.data.items.length })}` : ''}
      </Typography.Paragraph>
      <Table<CaseView>
        data-testid="urge-table"
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={rows}
        pagination={{
          pageSize: 50,
          showSizeChanger: false,
          showTotal: (n) => t('common:total', { count: n }),
        }}
        locale={{ emptyText: list.isError ? errorText(list.error) : t('urge.empty') }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
        scroll={{ x: 1000 }}
        columns={[
          {
            title: t('urge.light'),
            key: 'light',
            width: 48,
            render: (_, c) => {
              const light = overdue(c, now) ? 'red' : c.clock?.light;
              return light ? <span className={`light light-${light}`} /> : null;
            },
          },
          {
            title: t('urge.number'),
            key: 'number',
            width: 190,
            render: (_, c) => <Link to={`/cases/${c.id}`}>{c.number}</Link>,
          },
          {
            title: t('urge.category'),
            key: 'category',
            width: 130,
            render: (_, c) => `${c.category.code} ${c.category.name}`,
          },
          {
            title: t('urge.state'),
            key: 'state',
            width: 90,
            render: (_, c) => pick(c.stateLabel, i18n.language),
          },
          {
            title: t('urge.department'),
            key: 'dept',
            ellipsis: true,
            render: (_, c) => c.department?.name ?? '-',
          },
          {
            title: t('urge.deadline'),
            key: 'deadline',
            width: 230,
            render: (_, c) =>
              c.clock?.deadline ? (
                <Space size={6}>
                  <span>{dayjs(c.clock.deadline).format('MM-DD HH:mm')}</span>
                  {overdue(c, now) ? (
                    <Typography.Text type="danger">
                      {t('urge.overdue', {
                        time: formatDuration(now - new Date(c.clock.deadline).getTime(), i18n.language),
                      })}
                    </Typography.Text>
                  ) : null}
                </Space>
              ) : (
                '-'
              ),
          },
          {
            title: t('urge.urged'),
            key: 'urged',
            width: 80,
            align: 'right',
            render: (_, c) => c.counters.urge ?? 0,
          },
          {
            title: '',
            key: 'act',
            width: 80,
            fixed: 'right',
            render: (_, c) => (
              <Button size="small" danger data-testid={`urge-${c.id}`} onClick={() => setOne(c)}>
                {t('urge.urge')}
              </Button>
            ),
          },
        ]}
      />
      {one ? (
        <ActionModal
          caseData={one}
          action="urge"
          onClose={() => setOne(null)}
          onDone={() => void list.refetch()}
        />
      ) : null}
      <Modal
        open={batchOpen}
        title={t('urge.batchTitle', { count: selected.length })}
        onCancel={() => setBatchOpen(false)}
        onOk={() => form.submit()}
        okButtonProps={
          { danger: true, loading: busy, 'data-testid': 'urge-batch-ok' } as { danger?: boolean }
        }
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={urgeSelected}>
          <Form.Item
            name="reason"
            label={t('form.urgeReason')}
            rules={[{ required: true, whitespace: true, message: t('form.reasonRequired') }]}
          >
            <Input.TextArea data-testid="urge-batch-reason" rows={3} maxLength={1000} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
