import { Dialog, SpinLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useDuty, useSetDuty } from '../lib/duty';

/**
 * The duty state in the title bar, always in sight: a green 在岗 or a grey 未上岗 chip. A tap
 * asks before switching, so a pocket tap does not end a patrol.
 */
export function DutyChip() {
  const { t } = useTranslation('mobile');
  const duty = useDuty(true);
  const { busy, setDuty } = useSetDuty();
  const on = duty.data?.onDuty === true;
  const ask = async () => {
    const ok = await Dialog.confirm({
      content: on ? t('duty.confirmEnd') : t('duty.confirmStart'),
      confirmText: on ? t('duty.end') : t('duty.start'),
      cancelText: t('duty.cancel'),
    });
    if (ok) await setDuty(!on);
  };
  return (
    <button
      type="button"
      className={`duty-chip ${on ? 'duty-on' : 'duty-off'}`}
      data-testid="duty-chip"
      data-on={on}
      disabled={busy || duty.isLoading}
      onClick={() => void ask()}
    >
      {busy ? <SpinLoading style={{ '--size': '12px' }} /> : <span className="duty-dot" />}
      {on ? t('duty.on') : t('duty.off')}
    </button>
  );
}
