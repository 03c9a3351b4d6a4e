import { Descriptions, Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../api/types';
import { formatTime } from '../../../components/case/format';
import { LightDot } from '../../../components/case/LightDot';

interface Extension {
  amount?: number;
  unit?: string;
}

/** The running time-limit step: start, deadline, light, suspension and extensions. */
export function ClockInfo({ clock }: { clock: CaseView['clock'] }) {
  const { t } = useTranslation('cases');
  if (!clock?.startedAt)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noClock')} />;
  const extensions = clock.extensions as Extension[];
  return (
    <Descriptions size="small" column={1} data-testid="case-clock">
      <Descriptions.Item label={t('detail.step')}>{t(`step.${clock.step}`)}</Descriptions.Item>
      <Descriptions.Item label={t('detail.started')}>{formatTime(clock.startedAt)}</Descriptions.Item>
      <Descriptions.Item label={t('detail.deadline')}>
        {clock.deadline ? formatTime(clock.deadline) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('table.deadline')}>
        <LightDot light={clock.light} deadline={clock.deadline} suspended={clock.suspended} />
      </Descriptions.Item>
      <Descriptions.Item label={t('detail.suspended')}>
        {clock.suspended ? t('detail.yes') : t('detail.no')}
      </Descriptions.Item>
      <Descriptions.Item label={t('detail.extensions')}>
        {extensions.length ? extensions.map((e) => `${e.amount ?? ''} ${e.unit ?? ''}`).join('，') : '—'}
      </Descriptions.Item>
    </Descriptions>
  );
}
