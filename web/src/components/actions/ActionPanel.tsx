/**
 * The actions the logged-in user may take on one case (GET /cases/:id/actions), one button each,
 * each opening its form (ActionModal). A request awaiting approval is shown on top.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CaseView } from '../../api/types';
import { useErrorText } from '../errors';
import { ActionModal } from './ActionModal';
import { PendingAlert } from './PendingAlert';
import { actionLabel, type CaseAction, specOf } from './specs';

export interface ActionPanelProps {
  caseData: CaseView;
  /** Called after an action succeeded (the case and lists should be reloaded). */
  onDone: () => void;
}

/** Forward actions first, then requests and side branches, then destructive ones. */
function order(a: CaseAction): number {
  const s = specOf(a);
  if (s.primary) return 0;
  if (s.danger) return 2;
  return 1;
}

export function ActionPanel({ caseData, onDone }: ActionPanelProps) {
  const { t, i18n } = useTranslation('work');
  const errorText = useErrorText();
  const [open, setOpen] = useState<CaseAction | null>(null);
  const actions = useQuery({
    queryKey: ['work', 'case-actions', caseData.id, caseData.version],
    queryFn: () =>
      api<{ version: number; actions: CaseAction[]; photosRequired?: CaseAction[] }>(
        `/cases/${caseData.id}/actions`,
      ),
  });
  const list = [...(actions.data?.actions ?? [])].sort((a, b) => order(a) - order(b));

  return (
    <Card size="small" title={t('panel.title')} data-testid="action-panel">
      <PendingAlert caseData={caseData} />
      {actions.isLoading ? (
        <Spin />
      ) : actions.isError ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={errorText(actions.error)} />
      ) : list.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('panel.none')} data-testid="no-actions" />
      ) : (
        <Flex wrap gap={8}>
          {list.map((a) => {
            const spec = specOf(a);
            return (
              <Button
                key={a}
                data-testid={`action-${a}`}
                type={spec.primary ? 'primary' : 'default'}
                danger={spec.danger}
                onClick={() => setOpen(a)}
              >
                {actionLabel(a, i18n.language)}
              </Button>
            );
          })}
        </Flex>
      )}
      <ActionModal
        caseData={caseData}
        action={open}
        photosRequired={open !== null && actions.data?.photosRequired?.includes(open) === true}
        onClose={() => setOpen(null)}
        onDone={onDone}
      />
    </Card>
  );
}
