/** Form fields of 延期 (request / approve), 指派处置人员 and 合并. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Form, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, apiAllPages } from '../../api/client';
import type { CaseView } from '../../api/types';
import { useSession } from '../../auth/session';
import { useDepartments } from './departments';

export const UNITS = ['working_hours', 'working_days', 'calendar_hours', 'minutes'] as const;
export type Unit = (typeof UNITS)[number];

/** Extension amount + unit; `required` for a request, optional (both or neither) for an approval. */
export function ExtendFields({
  required,
  asked,
}: {
  required: boolean;
  asked?: { amount?: number; unit?: string };
}) {
  const { t } = useTranslation('work');
  const bothOrNeither = ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
    validator: async () => {
      const a = getFieldValue('amount');
      const u = getFieldValue('unit');
      if ((a === undefined || a === null) !== (u === undefined || u === null))
        throw new Error(t('form.amountRequired'));
    },
  });
  return (
    <Form.Item
      label={t('form.amount')}
      required={required}
      extra={required ? undefined : t('form.approveAmountHint')}
    >
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item
          name="amount"
          noStyle
          rules={required ? [{ required: true, message: t('form.amountRequired') }] : [bothOrNeither]}
        >
          <InputNumber
            data-testid="extend-amount"
            min={0.5}
            max={1000}
            step={1}
            autoFocus
            placeholder={asked?.amount !== undefined ? String(asked.amount) : undefined}
            style={{ width: '50%' }}
          />
        </Form.Item>
        <Form.Item
          name="unit"
          noStyle
          rules={required ? [{ required: true, message: t('form.amountRequired') }] : [bothOrNeither]}
        >
          <Select
            data-testid="extend-unit"
            style={{ width: '50%' }}
            placeholder={asked?.unit ? t(`unit.${asked.unit}`) : t('form.unitLabel')}
            allowClear={!required}
            options={UNITS.map((u) => ({ value: u, label: t(`unit.${u}`) }))}
          />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  );
}

interface UserItem {
  id: number;
  username: string;
  displayName: string;
  role: string;
  departmentId: number | null;
  disabled: boolean;
}

/** 指派处置人员: the handlers of my department and its sub-units. */
export function AssignHandlerFields() {
  const { t } = useTranslation('work');
  const { can } = useSession();
  const canList = can('user.read');
  const departments = useDepartments();
  const handlers = useQuery({
    queryKey: ['work', 'handlers'],
    // Every handler in my scope, not only the first page.
    queryFn: async () => ({
      items: await apiAllPages<UserItem>('/users', { role: 'handler', limit: 200 }),
    }),
    enabled: canList,
  });
  // /departments answers a department user with its own subtree: those are "my" handlers.
  const mine = new Set((departments.data ?? []).map((d) => d.id));
  const options = (handlers.data?.items ?? [])
    .filter((u) => !u.disabled && u.departmentId !== null && mine.has(u.departmentId))
    .map((u) => {
      const dept = departments.data?.find((d) => d.id === u.departmentId);
      return { value: u.id, label: `${u.displayName}（${u.username}${dept ? ` · ${dept.name}` : ''}）` };
    });
  if (!canList) {
    return (
      <>
        <Alert type="info" showIcon title={t('form.handlerNoList')} style={{ marginBottom: 12 }} />
        <Form.Item
          name="handlerId"
          label={t('form.handlerId')}
          rules={[{ required: true, message: t('form.handlerRequired') }]}
        >
          <InputNumber data-testid="handler-id" min={1} precision={0} autoFocus style={{ width: '100%' }} />
        </Form.Item>
      </>
    );
  }
  return (
    <Form.Item
      name="handlerId"
      label={t('form.handler')}
      rules={[{ required: true, message: t('form.handlerRequired') }]}
    >
      <Select
        data-testid="handler-select"
        autoFocus
        showSearch={{ optionFilterProp: 'label' }}
        loading={handlers.isLoading}
        options={options}
      />
    </Form.Item>
  );
}

interface Duplicate {
  id: number;
  number: string;
  distanceM: number;
}

/** 合并: nearby possible duplicates first, then any open case by number. */
export function MergeFields({ caseData }: { caseData: CaseView }) {
  const { t } = useTranslation('work');
  const duplicates = useQuery({
    queryKey: ['work', 'duplicates', caseData.id],
    queryFn: () => api<{ items: Duplicate[] }>(`/cases/${caseData.id}/duplicates`),
  });
  const open = useQuery({
    queryKey: ['work', 'open-cases-for-merge'],
    queryFn: () => api<{ items: CaseView[] }>('/cases', { query: { state: 'open', limit: 200 } }),
  });
  const near = duplicates.data?.items ?? [];
  const others = (open.data?.items ?? []).filter(
    (c) => c.id !== caseData.id && !near.some((d) => d.id === c.id),
  );
  return (
    <Form.Item
      name="targetCaseId"
      label={t('form.target')}
      rules={[{ required: true, message: t('form.targetRequired') }]}
    >
      <Select
        data-testid="merge-target"
        autoFocus
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('form.targetPlaceholder')}
        loading={duplicates.isLoading || open.isLoading}
        options={[
          ...(near.length
            ? [
                {
                  label: t('form.nearby'),
                  options: near.map((d) => ({
                    value: d.id,
                    label: `${d.number} · ${t('form.distance', { m: d.distanceM })}`,
                  })),
                },
              ]
            : []),
          ...others.map((c) => ({ value: c.id, label: `${c.number} · ${c.address}` })),
        ]}
      />
    </Form.Item>
  );
}
