/** The form of one workflow answer (核实, 核查, 签收, 反馈, 申请), queued in the outbox. */
import { Button, Form, Input, Popup, Selector, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../src/api/types';
import { useSession } from '../lib/session';
import { addItem } from '../outbox/store';
import { blobsOf, type PhotoItem, PhotoPicker } from './PhotoPicker';

export const MOBILE_ACTIONS = [
  'verify',
  'deny',
  'check_pass',
  'check_fail',
  'sign',
  'feedback',
  'return_request',
  'extend_request',
  'suspend_request',
] as const;
export type MobileAction = (typeof MOBILE_ACTIONS)[number];

/** What each answer needs, as the server's action bodies and guards expect it. */
const NEEDS: Record<MobileAction, { photos: 'no' | 'optional' | 'required'; reason: boolean }> = {
  verify: { photos: 'optional', reason: false },
  deny: { photos: 'optional', reason: true },
  check_pass: { photos: 'optional', reason: false },
  check_fail: { photos: 'optional', reason: true },
  sign: { photos: 'no', reason: false },
  feedback: { photos: 'required', reason: false },
  return_request: { photos: 'no', reason: true },
  extend_request: { photos: 'no', reason: true },
  suspend_request: { photos: 'no', reason: true },
};

const UNITS = ['working_hours', 'working_days', 'calendar_hours'] as const;

export function ActionSheetForm({
  caseView,
  version,
  action,
  photosRequired = false,
  onClose,
}: {
  caseView: CaseView;
  version: number;
  action: MobileAction;
  /** The server says the action needs photos (e.g. 核查 where the class's standard asks). */
  photosRequired?: boolean;
  onClose: (done: boolean) => void;
}) {
  const { t } = useTranslation('mobile');
  const { session } = useSession();
  const need = photosRequired ? { ...NEEDS[action], photos: 'required' as const } : NEEDS[action];
  const [photos, setPhotos] = useState<PhotoItem[]>([]);
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('1');
  const [unit, setUnit] = useState<(typeof UNITS)[number]>('working_days');

  const submit = async () => {
    if (need.photos === 'required' && photos.length === 0)
      return Toast.show({ content: t('report.needPhoto'), icon: 'fail' });
    if (need.reason && !reason.trim()) return Toast.show({ content: t('action.needReason'), icon: 'fail' });
    const n = Number(amount);
    if (action === 'extend_request' && !(n > 0 && n <= 1000))
      return Toast.show({ content: t('action.needAmount'), icon: 'fail' });
    if (!session) return;
    await addItem({
      owner: session.user.username,
      kind: 'action',
      title: `${t(`action.${action}`)} · ${caseView.number}`,
      path: `/cases/${caseView.id}/actions/${action}`,
      body: {
        version,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(action === 'extend_request' ? { amount: n, unit } : {}),
      },
      photos: photos.length ? { photos: blobsOf(photos) } : {},
    });
    Toast.show({ content: navigator.onLine ? t('report.sending') : t('report.queued'), icon: 'success' });
    onClose(true);
  };

  return (
    <Popup visible onMaskClick={() => onClose(false)} bodyStyle={{ maxHeight: '85vh', overflow: 'auto' }}>
      <Form layout="vertical" data-testid={`form-${action}`}>
        <Form.Header>{t(`action.${action}`)}</Form.Header>
        {need.photos !== 'no' && (
          <Form.Item
            label={
              need.photos !== 'required'
                ? t('action.photos')
                : action === 'feedback'
                  ? t('action.photosRequired')
                  : t('action.checkPhotosRequired')
            }
          >
            <PhotoPicker value={photos} onChange={setPhotos} testId="action-photos" />
          </Form.Item>
        )}
        {action === 'extend_request' && (
          <Form.Item label={t('action.amount')}>
            <Input type="number" value={amount} onChange={setAmount} data-testid="extend-amount" />
            <Selector
              options={UNITS.map((u) => ({ label: t(`unit.${u}`), value: u }))}
              value={[unit]}
              onChange={(v) => v[0] && setUnit(v[0])}
            />
          </Form.Item>
        )}
        {(need.reason || action !== 'sign') && (
          <Form.Item label={need.reason ? t('action.reasonRequired') : t('action.reason')}>
            <TextArea
              value={reason}
              onChange={setReason}
              rows={3}
              maxLength={1000}
              data-testid="action-reason"
            />
          </Form.Item>
        )}
        <div className="section">
          <Button
            block
            color="primary"
            size="large"
            onClick={() => void submit()}
            data-testid="action-submit"
          >
            {t('action.submit')}
          </Button>
        </div>
      </Form>
    </Popup>
  );
}
