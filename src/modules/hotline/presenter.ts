/** What the API answers about a work order (the appellant only to the centre, never to others). */
import type { Selectable } from 'kysely';
import type { HotlineOrdersTable } from './tables.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentOrder(
  row: Selectable<HotlineOrdersTable>,
  caseInfo: { number: string; state: string } | null,
  withAppellant: boolean,
) {
  return {
    id: row.id,
    orderNo: row.order_no,
    status: row.status,
    round: row.round,
    caseId: row.case_id,
    caseNumber: caseInfo?.number ?? null,
    caseState: caseInfo?.state ?? null,
    acceptedAt: row.accepted_at.toISOString(),
    appealType: row.appeal_type,
    content: row.content,
    address: row.address,
    organizer: row.organizer,
    urgency: row.urgency,
    attachments: row.attachments,
    ...(withAppellant ? { appellant: { name: row.appellant_name, phone: row.appellant_phone } } : {}),
    deadlines: {
      sign: iso(row.sign_due_at),
      return: iso(row.return_due_at),
      reply: iso(row.reply_due_at),
      hotline: iso(row.hotline_due_at),
    },
    signedAt: iso(row.signed_at),
    returnedAt: iso(row.returned_at),
    returnReason: row.return_reason,
    extension: row.extension_asked ?? null,
    repliedAt: iso(row.replied_at),
    result: row.result,
    publicReply: row.public_reply,
    satisfaction: row.satisfaction,
    receivedAt: row.received_at.toISOString(),
  };
}
