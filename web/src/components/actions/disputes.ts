/** Ownership disputes (权属确认) as GET /ownership-disputes and GET /cases/:id/ownership present them. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export type ClaimResponse = 'pending' | 'claimed' | 'declined';

export interface Dispute {
  id: number;
  case: {
    id: number;
    number: string;
    state: string;
    category: { code: string; name: string };
    address: string;
    districtCode: string;
    gridCode: string;
  };
  status: 'open' | 'settled' | 'cancelled';
  reason: string;
  openedAt: string;
  openedBy: string | null;
  claimDeadline: string;
  deadlinePassed: boolean;
  candidates: Array<{
    department: { code: string; name: string };
    response: ClaimResponse;
    reason: string | null;
    respondedBy: string | null;
    respondedAt: string | null;
    mine: boolean;
  }>;
  decision: {
    mode: 'online' | 'joint_meeting';
    department: { code: string | null; name: string | null };
    reason: string | null;
    jointMeeting: {
      heldOn: string;
      minutes: string;
      attachments: Array<{ sha256: string; url: string }>;
    } | null;
    decidedBy: string | null;
    decidedAt: string | null;
  } | null;
}

/** The open dispute of a case, if any. */
export function useOpenDispute(caseId: number, enabled = true) {
  return useQuery({
    queryKey: ['work', 'case-ownership', caseId],
    queryFn: () => api<{ items: Dispute[] }>(`/cases/${caseId}/ownership`),
    select: (r) => r.items.find((d) => d.status === 'open') ?? null,
    enabled,
  });
}

/** The department to preselect when settling: the only one that claimed, if exactly one did. */
export function soleClaimant(d: Dispute | null | undefined): string | undefined {
  const claimed = d?.candidates.filter((c) => c.response === 'claimed') ?? [];
  return claimed.length === 1 ? claimed[0]?.department.code : undefined;
}
