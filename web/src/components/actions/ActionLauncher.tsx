/**
 * Opens one action's form for a case known only by id (list pages): loads the case first so the
 * form sends the version the user is about to act on.
 */
import { useQuery } from '@tanstack/react-query';
import { Spin } from 'antd';
import { api } from '../../api/client';
import type { CaseView } from '../../api/types';
import { ActionModal } from './ActionModal';
import type { CaseAction } from './specs';

export function ActionLauncher(props: {
  caseId: number | null;
  action: CaseAction;
  onClose: () => void;
  onDone: () => void;
}) {
  const { caseId, action, onClose, onDone } = props;
  const found = useQuery({
    queryKey: ['work', 'case', caseId],
    queryFn: () => api<CaseView>(`/cases/${caseId}`),
    enabled: caseId !== null,
    staleTime: 0,
  });
  if (caseId === null) return null;
  if (!found.data || found.data.id !== caseId) return found.isLoading ? <Spin fullscreen /> : null;
  return <ActionModal caseData={found.data} action={action} onClose={onClose} onDone={onDone} />;
}
