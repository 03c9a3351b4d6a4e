/**
 * The actions the logged-in user may take on one case, each with its form.
 * (Placeholder signature, to be implemented by the actions area.)
 */
import type { CaseView } from '../../api/types';

export interface ActionPanelProps {
  caseData: CaseView;
  /** Called after an action succeeded (the case and lists should be reloaded). */
  onDone: () => void;
}

export function ActionPanel(_props: ActionPanelProps) {
  return null;
}
