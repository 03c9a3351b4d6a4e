/**
 * 时限规则: which working calendar each time-limit step runs on, and whether the department's
 * time runs from dispatch (GB/T 30428.8) or from signing. Every save is a new version; the
 * history lists who changed what when.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, List, Radio, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STEP_LABELS } from '../../../../src/domain/catalog/limits';
import { CLOCK_STEPS, type ClockStep } from '../../../../src/domain/workflow/states';
import { api } from '../../api/client';
import { formatTime } from '../../components/case/format';
import { useShowError } from '../../components/errors';
import { pick } from '../../i18n';

interface Rules {
  departmentClockFrom: 'dispatch' | 'sign';
  stepCalendars: Record<ClockStep, string>;
}
interface RulesVersion extends Rules {
  id: number;
  note: string | null;
  createdBy: { id: number; name: string } | null;
  createdAt: string;
}
interface RulesView {
  current: Rules;
  history: RulesVersion[];
  calendars: Array<{ id: string; name: string }>;
}

export function ClockRules({ editable }: { editable: boolean }) {
  const { t, i18n } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Rules | null>(null);
  const [note, setNote] = useState('');
  const view = useQuery({
    queryKey: ['admin', 'clock-rules'],
    queryFn: () => api<RulesView>('/clock-rules'),
  });
  const save = useMutation({
    mutationFn: (rules: Rules) =>
      api<RulesView>('/clock-rules', {
        method: 'PUT',
        body: {
          departmentClockFrom: rules.departmentClockFrom,
          stepCalendars: rules.stepCalendars,
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      }),
    onSuccess: (next) => {
      qc.setQueryData(['admin', 'clock-rules'], next);
      setDraft(null);
      setNote('');
      void message.success(tc('state.saved'));
    },
    onError: showError,
  });
  if (!view.data) return null;
  const rules = draft ?? view.data.current;
  const names = new Map(view.data.calendars.map((c) => [c.id, c.name]));
  const edit = (patch: Partial<Rules>) => setDraft({ ...rules, ...patch });

  return (
    <Card size="small" title={t('calendars.rulesTitle')} style={{ marginTop: 16 }} data-testid="clock-rules">
      <Typography.Paragraph type="secondary">{t('calendars.rulesHint')}</Typography.Paragraph>
      <Space align="start" wrap size={24}>
        <Table
          size="small"
          pagination={false}
          rowKey="step"
          style={{ width: 420 }}
          dataSource={CLOCK_STEPS.map((step) => ({ step }))}
          columns={[
            { title: t('calendars.rulesStep'), render: (_, r) => pick(STEP_LABELS[r.step], i18n.language) },
            {
              title: t('calendars.rulesCalendar'),
              render: (_, r) => (
                <Select
                  size="small"
                  style={{ width: 200 }}
                  disabled={!editable}
                  data-testid={`rule-calendar-${r.step}`}
                  value={rules.stepCalendars[r.step]}
                  onChange={(id) => edit({ stepCalendars: { ...rules.stepCalendars, [r.step]: id } })}
                  options={view.data.calendars.map((c) => ({ value: c.id, label: c.name }))}
                />
              ),
            },
          ]}
        />
        <Space direction="vertical" style={{ maxWidth: 460 }}>
          <Typography.Text strong>{t('calendars.deptClock')}</Typography.Text>
          <Radio.Group
            disabled={!editable}
            data-testid="rule-dept-clock"
            value={rules.departmentClockFrom}
            onChange={(e) => edit({ departmentClockFrom: e.target.value })}
          >
            <Space direction="vertical">
              <Radio value="dispatch">{t('calendars.deptClockDispatch')}</Radio>
              <Radio value="sign">{t('calendars.deptClockSign')}</Radio>
            </Space>
          </Radio.Group>
          {editable ? (
            <Space>
              <Input
                size="small"
                style={{ width: 240 }}
                maxLength={200}
                placeholder={t('calendars.rulesNote')}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
              <Button
                size="small"
                type="primary"
                disabled={!draft}
                loading={save.isPending}
                data-testid="rule-save"
                onClick={() => save.mutate(rules)}
              >
                {t('calendars.rulesSave')}
              </Button>
            </Space>
          ) : null}
          <Typography.Text strong>{t('calendars.rulesHistory')}</Typography.Text>
          <List
            size="small"
            data-testid="rule-history"
            dataSource={view.data.history.slice(0, 8)}
            renderItem={(h) => (
              <List.Item>
                <Typography.Text type="secondary">
                  {t('calendars.rulesBy', { at: formatTime(h.createdAt), by: h.createdBy?.name ?? '—' })}
                </Typography.Text>{' '}
                {h.departmentClockFrom === 'dispatch'
                  ? t('calendars.deptClockDispatch')
                  : t('calendars.deptClockSign')}
                {h.note ? ` · ${h.note}` : ''}
                <br />
                <Typography.Text type="secondary">
                  {CLOCK_STEPS.map(
                    (s) =>
                      `${pick(STEP_LABELS[s], i18n.language)}:${names.get(h.stepCalendars[s]) ?? h.stepCalendars[s]}`,
                  ).join('，')}
                </Typography.Text>
              </List.Item>
            )}
          />
        </Space>
      </Space>
    </Card>
  );
}
