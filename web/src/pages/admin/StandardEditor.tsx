/** Edits one class's standard in a draft: conditions, urgency, departments, limits per step × area class. */

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { App, Checkbox, Form, Input, InputNumber, Modal, Segmented, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STEP_LABELS } from '../../../../src/domain/catalog/limits';
import { CLOCK_STEPS } from '../../../../src/domain/workflow/states';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { pick } from '../../i18n';
import { useDepartments } from './org-data';
import {
  AREA,
  type Category,
  type LimitUnit,
  type Standard,
  UNITS,
  URGENCY_LEVELS,
  type Urgency,
} from './standards-data';

type Cell = { amount?: number | null; unit?: LimitUnit };
interface EditForm {
  filingConditions: string;
  closingConditions: string;
  defaultUrgency: Standard['defaultUrgency'];
  departmentCodes: string[];
  checkPhotos: boolean;
  /** urgency → step → area class → cell; blank 紧急 / 特急 cells fall back to the less urgent level. */
  limits: Record<Urgency, Record<string, Record<string, Cell>>>;
}

export function StandardEditor({
  versionId,
  category,
  standard,
  open,
  onClose,
}: {
  versionId: number;
  category: Category;
  standard: Standard | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const departments = useDepartments();
  const [form] = Form.useForm<EditForm>();
  const [level, setLevel] = useState<Urgency>('normal');
  const limits = { normal: {}, urgent: {}, emergency: {} } as EditForm['limits'];
  for (const u of URGENCY_LEVELS) {
    for (const step of CLOCK_STEPS) {
      const byArea: Record<string, Cell> = {};
      for (const a of AREA) {
        const l = standard?.timeLimits.find((x) => x.step === step && x.areaClass === a && x.urgency === u);
        byArea[a] = l
          ? { amount: l.amount, unit: l.unit }
          : { unit: u === 'normal' ? 'working_hours' : 'minutes' };
      }
      limits[u][step] = byArea;
    }
  }
  const patchOf = (v: EditForm, u: Urgency) =>
    Object.fromEntries(
      CLOCK_STEPS.map((step) => [
        step,
        Object.fromEntries(
          AREA.map((a) => {
            const c = v.limits?.[u]?.[step]?.[a];
            return [a, c?.amount ? { amount: c.amount, unit: c.unit ?? 'working_hours' } : null];
          }),
        ),
      ]),
    );
  const save = useMutation({
    mutationFn: (v: EditForm) =>
      api(`/catalog/versions/${versionId}/standards/${category.id}`, {
        method: 'PATCH',
        body: {
          filingConditions: v.filingConditions ?? '',
          closingConditions: v.closingConditions ?? '',
          defaultUrgency: v.defaultUrgency,
          departmentCodes: v.departmentCodes ?? [],
          checkPhotos: v.checkPhotos === true,
          timeLimits: patchOf(v, 'normal'),
          urgentTimeLimits: { urgent: patchOf(v, 'urgent'), emergency: patchOf(v, 'emergency') },
        },
      }),
    onSuccess: async () => {
      void message.success(tc('state.saved'));
      await qc.invalidateQueries({ queryKey: ['admin', 'standards', versionId] });
      onClose();
    },
    onError: showError,
  });
  return (
    <Modal
      open={open}
      width={760}
      title={`${t('standards.editStandard')} · ${category.code} ${category.name}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'standard-save' } as ButtonProps}
    >
      <Form
        form={form}
        layout="vertical"
        size="small"
        data-testid="standard-form"
        initialValues={{
          filingConditions: standard?.filingConditions ?? '',
          closingConditions: standard?.closingConditions ?? '',
          defaultUrgency: standard?.defaultUrgency ?? 'normal',
          departmentCodes: standard?.departmentCodes ?? [],
          checkPhotos: standard?.checkPhotos ?? false,
          limits,
        }}
        // Every level's limits, also those of the levels not on screen (kept by the form's store).
        onFinish={() => save.mutate(form.getFieldsValue(true) as EditForm)}
      >
        <Form.Item name="filingConditions" label={t('standards.filing')}>
          <Input.TextArea autoFocus autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
        <Form.Item name="closingConditions" label={t('standards.closing')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
        <Space>
          <Form.Item name="defaultUrgency" label={t('standards.urgency')}>
            <Select
              style={{ width: 110 }}
              options={(['normal', 'urgent', 'emergency'] as const).map((u) => ({
                value: u,
                label: t(`standards.urgencies.${u}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="departmentCodes" label={t('standards.departments')}>
            <Select
              mode="multiple"
              style={{ width: 460 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="checkPhotos" valuePropName="checked" extra={t('standards.checkPhotosHint')}>
          <Checkbox data-testid="standard-check-photos">{t('standards.checkPhotos')}</Checkbox>
        </Form.Item>
        <Segmented
          size="small"
          data-testid="editor-limit-level"
          style={{ marginBottom: 8 }}
          value={level}
          onChange={(v) => setLevel(v as Urgency)}
          options={URGENCY_LEVELS.map((u) => ({ value: u, label: t(`standards.urgencies.${u}`) }))}
        />
        <Table
          size="small"
          pagination={false}
          rowKey="step"
          dataSource={CLOCK_STEPS.map((step) => ({ step }))}
          columns={[
            {
              title: t('standards.step'),
              width: 90,
              render: (_, r) => pick(STEP_LABELS[r.step], i18n.language),
            },
            ...AREA.map((a) => ({
              title: t('standards.areaClass', { c: a }),
              render: (_: unknown, r: { step: string }) => (
                <Space.Compact>
                  <Form.Item name={['limits', level, r.step, a, 'amount']} noStyle>
                    <InputNumber min={0} max={10000} style={{ width: 70 }} />
                  </Form.Item>
                  <Form.Item name={['limits', level, r.step, a, 'unit']} noStyle>
                    <Select
                      style={{ width: 90 }}
                      options={UNITS.map((u) => ({ value: u, label: t(`standards.units.${u}`) }))}
                    />
                  </Form.Item>
                </Space.Compact>
              ),
            })),
          ]}
        />
      </Form>
    </Modal>
  );
}
