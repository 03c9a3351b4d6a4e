import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Light } from '../../api/types';
import { formatDuration, formatTime } from './format';

export interface LightDotProps {
  light: Light | null | undefined;
  deadline?: string | null;
  suspended?: boolean;
  /** Show the remaining / overdue time next to the dot. */
  showRemaining?: boolean;
  /** Reference time (tests and auto-refreshing tables pass their fetch time). */
  now?: number;
}

/** The time-limit traffic light (绿/黄/红灯) with the deadline on hover and the time left. */
export function LightDot({ light, deadline, suspended, showRemaining = true, now }: LightDotProps) {
  const { t, i18n } = useTranslation('cases');
  if (!light && !deadline) return <span style={{ color: '#999' }}>{t('light.none')}</span>;
  const left = deadline ? new Date(deadline).getTime() - (now ?? Date.now()) : null;
  const text = suspended
    ? t('time.suspended')
    : left === null
      ? ''
      : left >= 0
        ? t('time.left', { d: formatDuration(left, i18n.language) })
        : t('time.over', { d: formatDuration(left, i18n.language) });
  return (
    <Tooltip title={deadline ? `${t('detail.deadline')} ${formatTime(deadline)}` : undefined}>
      <span
        data-light={light ?? 'none'}
        style={{ display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}
      >
        <span
          role="img"
          className={`light light-${light ?? 'green'}`}
          aria-label={t(`light.${light ?? 'none'}`)}
        />
        {showRemaining && text ? (
          <span style={left !== null && left < 0 ? { color: '#f5222d' } : undefined}>{text}</span>
        ) : null}
      </span>
    </Tooltip>
  );
}
