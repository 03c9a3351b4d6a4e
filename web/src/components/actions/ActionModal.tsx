/**
 * The form of one workflow action in a modal: exactly the body the action takes, the reason when
 * the workflow demands one, a last confirmation for irreversible actions. Enter submits (Shift+Enter
 * is a new line in the reason); a stale view (409) reloads instead of retrying.
 */
import { App, Button, Form, Input, Modal, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../api/types';
import { useShowError } from '../errors';
import { type ActionBody, isVersionConflict, useActOnCase } from './act';
import { CollaborationFields, DispatchFields, SettleFields } from './DepartmentFields';
import { useOpenDispute } from './disputes';
import { AssignHandlerFields, ExtendFields, MergeFields } from './OtherFields';
import { PendingAlert } from './PendingAlert';
import { PhotoUpload } from './PhotoUpload';
import { type ActionSpec, actionLabel, type CaseAction, specOf } from './specs';

interface Values {
  reason?: string;
  departmentCode?: string;
  candidateDepartmentCodes?: string[];
  claimDeadline?: Dayjs;
  updateResponsibility?: boolean;
  meeting?: boolean;
  heldOn?: Dayjs;
  minutes?: string;
  attachments?: string[];
  photos?: string[];
  amount?: number;
  unit?: string;
  handlerId?: number;
  targetCaseId?: number;
}

/** The request body of the action from the form values (only the fields its schema knows). */
export function bodyOf(spec: ActionSpec, v: Values): ActionBody {
  const body: ActionBody = {};
  const reason = v.reason?.trim();
  if (reason) body.reason = reason;
  switch (spec.form) {
    case 'dispatch':
      body.departmentCode = v.departmentCode;
      break;
    case 'collaboration':
      body.candidateDepartmentCodes = v.candidateDepartmentCodes;
      if (v.claimDeadline) body.claimDeadline = v.claimDeadline.second(0).millisecond(0).toISOString();
      break;
    case 'settle':
      body.departmentCode = v.departmentCode;
      body.updateResponsibility = v.updateResponsibility === true;
      if (v.meeting && v.heldOn) {
        body.jointMeeting = {
          heldOn: v.heldOn.format('YYYY-MM-DD'),
          minutes: v.minutes?.trim(),
          attachments: v.attachments ?? [],
        };
      }
      break;
    case 'photos':
      if (v.photos?.length) body.photos = v.photos;
      break;
    case 'extend_request':
    case 'extend_approve':
      if (v.amount !== undefined && v.amount !== null && v.unit) {
        body.amount = v.amount;
        body.unit = v.unit;
      }
      break;
    case 'assign_handler':
      body.handlerId = v.handlerId;
      break;
    case 'merge':
      body.targetCaseId = v.targetCaseId;
      break;
    case 'plain':
      break;
  }
  return body;
}

export interface ActionModalProps {
  caseData: CaseView;
  /** The action whose form is open; null = closed. */
  action: CaseAction | null;
  /** The server says this action needs photos (核查 where the class's standard asks). */
  photosRequired?: boolean;
  onClose: () => void;
  /** After success, or after a conflict (either way the case must be reloaded). */
  onDone: () => void;
}

export function ActionModal({ caseData, action, photosRequired, onClose, onDone }: ActionModalProps) {
  const { t, i18n } = useTranslation('work');
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const act = useActOnCase();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const spec = action ? specOf(action) : null;
  const dispute = useOpenDispute(caseData.id, spec?.form === 'settle');
  const label = action ? actionLabel(action, i18n.language) : '';

  const send = async (values: Values) => {
    if (!action || !spec) return;
    setBusy(true);
    try {
      await act(caseData.id, action, caseData.version, bodyOf(spec, values));
      void message.success(t('panel.done', { action: label }));
      onClose();
      onDone();
    } catch (err) {
      if (isVersionConflict(err)) {
        void message.warning(t('panel.conflict'));
        onClose();
        onDone();
      } else {
        showError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const onFinish = (values: Values) => {
    if (!spec?.confirm) return send(values);
    modal.confirm({
      title: t('form.confirmTitle', { action: label }),
      content: t('form.confirmBody'),
      okButtonProps: { danger: spec.danger, 'data-testid': 'confirm-ok' } as { danger?: boolean },
      onOk: () => send(values),
    });
  };

  const reasonLabel =
    action === 'urge' ? t('form.urgeReason') : spec?.reasonRequired ? t('form.reason') : t('form.opinion');
  const extendAsked = (caseData.pending?.details ?? undefined) as
    | { amount?: number; unit?: string }
    | undefined;
  const isApproval = !!action && /_(approve|deny)$/.test(action);

  return (
    <Modal
      open={action !== null}
      title={`${label} · ${caseData.number}`}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={spec?.form === 'plain' ? 520 : 640}
      mask={{ closable: false }}
    >
      {isApproval ? <PendingAlert caseData={caseData} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        data-testid={`action-form-${action ?? ''}`}
        initialValues={{ updateResponsibility: false, meeting: false }}
      >
        {spec?.form === 'dispatch' ? <DispatchFields caseId={caseData.id} /> : null}
        {spec?.form === 'collaboration' ? <CollaborationFields caseId={caseData.id} /> : null}
        {spec?.form === 'settle' ? <SettleFields dispute={dispute.data} /> : null}
        {spec?.form === 'photos' ? (
          <Form.Item
            name="photos"
            label={action === 'feedback' ? t('form.afterPhotos') : t('form.photos')}
            rules={
              spec.photosRequired || photosRequired
                ? [
                    {
                      required: true,
                      type: 'array',
                      min: 1,
                      message:
                        action === 'feedback' ? t('form.afterPhotosRequired') : t('form.checkPhotosRequired'),
                    },
                  ]
                : []
            }
          >
            <PhotoUpload max={9} />
          </Form.Item>
        ) : null}
        {spec?.form === 'extend_request' ? <ExtendFields required /> : null}
        {spec?.form === 'extend_approve' ? <ExtendFields required={false} asked={extendAsked} /> : null}
        {spec?.form === 'assign_handler' ? <AssignHandlerFields /> : null}
        {spec?.form === 'merge' ? <MergeFields caseData={caseData} /> : null}
        <Form.Item
          name="reason"
          label={reasonLabel}
          rules={[
            { required: !!spec?.reasonRequired, whitespace: true, message: t('form.reasonRequired') },
            { max: 1000 },
          ]}
        >
          <Input.TextArea
            data-testid="action-reason"
            rows={3}
            maxLength={1000}
            autoFocus={spec?.form === 'plain' || spec?.form === 'photos'}
            placeholder={t('form.reasonPlaceholder')}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                form.submit();
              }
            }}
          />
        </Form.Item>
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('form.cancel')}</Button>
          <Button
            type="primary"
            danger={spec?.danger}
            htmlType="submit"
            loading={busy}
            data-testid="action-submit"
          >
            {label}
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}
