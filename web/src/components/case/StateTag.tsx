import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Label } from '../../api/types';
import { pick } from '../../i18n';

/** Colours by stage of the loop: intake blue, handling orange, checking purple, done green/grey. */
const COLORS: Record<string, string> = {
  reported: 'blue',
  verifying: 'geekblue',
  pending_filing: 'blue',
  filed: 'cyan',
  dispatched: 'cyan',
  ownership_dispute: 'magenta',
  handling: 'orange',
  handled: 'gold',
  checking: 'purple',
  pending_close: 'lime',
  closed: 'green',
  suspended: 'volcano',
  rejected: 'default',
  voided: 'default',
  merged: 'default',
};

export function StateTag({ state, label }: { state: string; label: Label }) {
  const { i18n } = useTranslation();
  return (
    <Tag color={COLORS[state] ?? 'default'} data-state={state} style={{ marginInlineEnd: 0 }}>
      {pick(label, i18n.language)}
    </Tag>
  );
}
