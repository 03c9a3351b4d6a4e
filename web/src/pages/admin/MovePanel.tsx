/** 案卷迁移: preview moving cases to the other code scheme, resolve ambiguous and unmapped classes, apply. */
import { SwapOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { type MovePreview, useSchemeClasses } from './mapping-data';

type Item = MovePreview['items'][number];
const KEEP = -1;
const STATUS_COLOR = { mapped: 'green', ambiguous: 'blue', unmapped: 'orange' } as const;

export function MovePanel() {
  const { t } = useTranslation('admin');
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [to, setTo] = useState<'gbt47678' | 'gbt30428'>('gbt47678');
  const [scope, setScope] = useState<'open' | 'all'>('open');
  const [preview, setPreview] = useState<MovePreview | null>(null);
  const [choices, setChoices] = useState<Record<number, number>>({});
  const classes = useSchemeClasses(to);
  const load = useMutation({
    mutationFn: () => api<MovePreview>('/catalog/moves/preview', { query: { to, scope } }),
    onSuccess: (p) => {
      setPreview(p);
      setChoices({});
    },
    onError: showError,
  });
  const apply = useMutation({
    mutationFn: () =>
      api<{ moved: number; kept: number }>('/catalog/moves', {
        body: {
          to,
          scope,
          expectCases: preview?.summary.cases,
          resolutions: Object.entries(choices).map(([id, target]) => ({
            categoryId: Number(id),
            targetId: target === KEEP ? null : target,
          })),
        },
      }),
    onSuccess: async (r) => {
      void message.success(t('move.done', { moved: r.moved, kept: r.kept }));
      await qc.invalidateQueries({ queryKey: ['admin'] });
      load.mutate();
    },
    onError: showError,
  });
  const needing = (preview?.items ?? []).filter((i) => i.status !== 'mapped');
  const open = needing.filter((i) => choices[i.category.id] === undefined).length;
  const optionsFor = (i: Item) => {
    const first = i.targets.map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }));
    const rest = (classes.data ?? [])
      .filter((c) => c.kind === i.category.kind && !i.targets.some((x) => x.id === c.id))
      .map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }));
    return [
      { value: KEEP, label: t('move.keep') },
      ...(first.length ? [{ label: t('move.suggested'), options: first }] : []),
      { label: t('move.other'), options: rest },
    ];
  };
  return (
    <>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('move.explain')} />
      <Space wrap style={{ marginBottom: 12 }}>
        {t('move.to')}
        <Radio.Group
          value={to}
          onChange={(e) => {
            setTo(e.target.value);
            setPreview(null);
          }}
          options={[
            { value: 'gbt47678', label: 'GB/T 47678.5' },
            { value: 'gbt30428', label: 'GB/T 30428.2' },
          ]}
        />
        <Radio.Group
          value={scope}
          onChange={(e) => {
            setScope(e.target.value);
            setPreview(null);
          }}
          options={[
            { value: 'open', label: t('move.scopeOpen') },
            { value: 'all', label: t('move.scopeAll') },
          ]}
        />
        <Button data-testid="move-preview" loading={load.isPending} onClick={() => load.mutate()}>
          {t('move.preview')}
        </Button>
      </Space>
      {preview ? (
        <>
          <Space style={{ marginBottom: 8 }} wrap data-testid="move-summary">
            <Tag>{t('move.summary', { classes: preview.summary.classes, cases: preview.summary.cases })}</Tag>
            <Tag color="green">{`${t('move.status.mapped')} ${preview.summary.mapped}`}</Tag>
            <Tag color="blue">{`${t('move.status.ambiguous')} ${preview.summary.ambiguous}`}</Tag>
            <Tag color="orange">{`${t('move.status.unmapped')} ${preview.summary.unmapped}`}</Tag>
          </Space>
          <Table<Item>
            size="small"
            rowKey={(i) => i.category.id}
            dataSource={preview.items}
            pagination={false}
            data-testid="move-table"
            locale={{ emptyText: <Empty description={t('move.nothing')} /> }}
            columns={[
              {
                title: t('move.class'),
                render: (_, i) => (
                  <span data-testid={`move-from-${i.category.code}`}>
                    {i.category.code} {i.category.name}
                    {i.category.scheme === 'gbt47678p' ? (
                      <Tag style={{ marginLeft: 4 }}>{t('move.retired')}</Tag>
                    ) : null}
                  </span>
                ),
              },
              { title: t('move.cases'), dataIndex: 'cases', width: 80 },
              {
                title: t('common.status'),
                width: 90,
                render: (_, i) => <Tag color={STATUS_COLOR[i.status]}>{t(`move.status.${i.status}`)}</Tag>,
              },
              {
                title: t('move.target'),
                render: (_, i) =>
                  i.status === 'mapped' ? (
                    `${i.targets[0]?.code} ${i.targets[0]?.name}`
                  ) : (
                    <Space direction="vertical" size={2} style={{ width: '100%' }}>
                      <Select
                        showSearch
                        style={{ width: 320 }}
                        data-testid={`move-choice-${i.category.code}`}
                        placeholder={t('move.choose')}
                        optionFilterProp="label"
                        value={choices[i.category.id]}
                        onChange={(v: number) => setChoices((c) => ({ ...c, [i.category.id]: v }))}
                        options={optionsFor(i)}
                      />
                      {i.note ? <Typography.Text type="secondary">{i.note}</Typography.Text> : null}
                    </Space>
                  ),
              },
            ]}
          />
          <Space style={{ marginTop: 12 }}>
            <Popconfirm
              title={t('move.confirm', { cases: preview.summary.cases })}
              onConfirm={() => apply.mutate()}
              disabled={open > 0 || preview.items.length === 0}
            >
              <Button
                type="primary"
                icon={<SwapOutlined />}
                data-testid="move-apply"
                disabled={open > 0 || preview.items.length === 0}
                loading={apply.isPending}
              >
                {t('move.apply')}
              </Button>
            </Popconfirm>
            {open > 0 ? (
              <Typography.Text type="warning">{t('move.pending', { count: open })}</Typography.Text>
            ) : null}
          </Space>
        </>
      ) : null}
    </>
  );
}
