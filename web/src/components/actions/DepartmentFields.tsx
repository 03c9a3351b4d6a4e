/**
 * Form fields that choose departments: 派遣 (suggestions with reasons, preselected, or any
 * department from the tree), 提交协同平台 (candidates + claim deadline) and 权属确认
 * (decided department, responsibility-table switch, optional joint meeting).
 */
import { Alert, DatePicker, Form, Input, Radio, Space, Switch, Tag, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { pick } from '../../i18n';
import { departmentTree, useDepartments, useDispatchSuggestions } from './departments';
import { type Dispute, soleClaimant } from './disputes';
import { PhotoUpload } from './PhotoUpload';

function DepartmentTreeSelect(props: {
  multiple?: boolean;
  testId: string;
  autoFocus?: boolean;
  value?: unknown;
  onChange?: (v: unknown) => void;
}) {
  const { t } = useTranslation('work');
  const departments = useDepartments();
  return (
    <TreeSelect
      data-testid={props.testId}
      value={props.value}
      onChange={props.onChange}
      autoFocus={props.autoFocus}
      multiple={props.multiple}
      treeData={departmentTree(departments.data ?? [])}
      loading={departments.isLoading}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      allowClear
      placeholder={t('form.departmentPlaceholder')}
      style={{ width: '100%' }}
      listHeight={280}
    />
  );
}

/** 派遣: the suggestions (component owner first, then the most specific area) preselect the department. */
export function DispatchFields({ caseId }: { caseId: number }) {
  const { t } = useTranslation('work');
  const form = Form.useFormInstance();
  const suggestions = useDispatchSuggestions(caseId);
  const chosen = Form.useWatch('departmentCode', form) as string | undefined;
  const first = suggestions.data?.[0]?.department.code;
  useEffect(() => {
    if (first && !form.getFieldValue('departmentCode')) form.setFieldValue('departmentCode', first);
  }, [first, form]);

  return (
    <>
      <Form.Item label={t('form.suggestions')}>
        {suggestions.data && suggestions.data.length === 0 ? (
          <Alert type="warning" showIcon title={t('form.noSuggestions')} />
        ) : (
          <Radio.Group
            data-testid="dispatch-suggestions"
            value={chosen}
            onChange={(e) => form.setFieldValue('departmentCode', e.target.value)}
          >
            <Space orientation="vertical" size={4}>
              {(suggestions.data ?? []).map((s) => (
                <Radio key={s.department.code} value={s.department.code}>
                  <Typography.Text strong>{s.department.name}</Typography.Text>{' '}
                  <Tag color={s.source === 'component' ? 'purple' : 'blue'}>
                    {s.source === 'component' ? t('form.componentSource') : t('form.ruleSource')}
                  </Tag>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {pick(s.reason)}
                    </Typography.Text>
                  </div>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        )}
      </Form.Item>
      <Form.Item
        name="departmentCode"
        label={t('form.department')}
        rules={[{ required: true, message: t('form.departmentRequired') }]}
      >
        <DepartmentTreeSelect testId="department-select" />
      </Form.Item>
    </>
  );
}

/** 提交协同平台: candidate departments (the suggestions preselected) and an optional claim deadline. */
export function CollaborationFields({ caseId }: { caseId: number }) {
  const { t } = useTranslation('work');
  const form = Form.useFormInstance();
  const suggestions = useDispatchSuggestions(caseId);
  useEffect(() => {
    const codes = (suggestions.data ?? []).slice(0, 10).map((s) => s.department.code);
    if (codes.length && !form.getFieldValue('candidateDepartmentCodes')?.length) {
      form.setFieldValue('candidateDepartmentCodes', codes);
    }
  }, [suggestions.data, form]);
  return (
    <>
      <Form.Item
        name="candidateDepartmentCodes"
        label={t('form.candidates')}
        rules={[
          { required: true, type: 'array', min: 1, message: t('form.candidatesRequired') },
          { type: 'array', max: 10 },
        ]}
      >
        <DepartmentTreeSelect multiple testId="candidates-select" />
      </Form.Item>
      <Form.Item name="claimDeadline" label={t('form.claimDeadline')} extra={t('form.claimDeadlineHint')}>
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          disabledDate={(d) => d.isBefore(dayjs(), 'day') || d.isAfter(dayjs().add(30, 'day'))}
          style={{ width: '100%' }}
        />
      </Form.Item>
    </>
  );
}

/** 权属确认: the decided department (the sole claimant preselected), table update, joint meeting. */
export function SettleFields({ dispute }: { dispute: Dispute | null | undefined }) {
  const { t } = useTranslation('work');
  const form = Form.useFormInstance();
  const meeting = Form.useWatch('meeting', form) as boolean | undefined;
  const claimant = soleClaimant(dispute);
  useEffect(() => {
    if (claimant && !form.getFieldValue('departmentCode')) form.setFieldValue('departmentCode', claimant);
  }, [claimant, form]);
  return (
    <>
      {dispute ? (
        <Form.Item label={t('disputes.claims')}>
          <Space wrap data-testid="settle-claims">
            {dispute.candidates.map((c) => (
              <Tag
                key={c.department.code}
                color={c.response === 'claimed' ? 'green' : c.response === 'declined' ? 'red' : 'default'}
                title={c.reason ?? undefined}
                style={{ cursor: 'pointer' }}
                onClick={() => form.setFieldValue('departmentCode', c.department.code)}
              >
                {c.department.name} · {t(`disputes.response.${c.response}`)}
              </Tag>
            ))}
          </Space>
        </Form.Item>
      ) : null}
      <Form.Item
        name="departmentCode"
        label={t('form.decided')}
        rules={[{ required: true, message: t('form.departmentRequired') }]}
      >
        <DepartmentTreeSelect testId="department-select" />
      </Form.Item>
      <Form.Item extra={t('form.updateResponsibilityHint')} style={{ marginBottom: 12 }}>
        <Space>
          <Form.Item name="updateResponsibility" valuePropName="checked" noStyle>
            <Switch size="small" data-testid="update-responsibility" />
          </Form.Item>
          <span>{t('form.updateResponsibility')}</span>
        </Space>
      </Form.Item>
      <Form.Item style={{ marginBottom: 12 }}>
        <Space>
          <Form.Item name="meeting" valuePropName="checked" noStyle>
            <Switch size="small" data-testid="joint-meeting" />
          </Form.Item>
          <span>{t('form.jointMeeting')}</span>
        </Space>
      </Form.Item>
      {meeting ? (
        <>
          <Form.Item
            name="heldOn"
            label={t('form.meetingDate')}
            rules={[{ required: true, message: t('form.meetingDateRequired') }]}
          >
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="minutes"
            label={t('form.minutes')}
            rules={[{ required: true, whitespace: true, message: t('form.minutesRequired') }]}
          >
            <Input.TextArea rows={2} maxLength={5000} />
          </Form.Item>
          <Form.Item
            name="attachments"
            label={t('form.minutesPhotos')}
            rules={[{ required: true, type: 'array', min: 1, message: t('form.minutesPhotosRequired') }]}
          >
            <PhotoUpload max={5} testId="minutes-upload" />
          </Form.Item>
        </>
      ) : null}
    </>
  );
}
