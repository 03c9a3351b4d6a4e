/**
 * Notification adapters: WeCom (企业微信) and DingTalk (钉钉) group robots, which take
 * `{ "msgtype": "text", "text": { "content": … } }` at their webhook URL and answer
 * `{ "errcode": 0, "errmsg": "ok" }`; DingTalk's 加签 adds `timestamp` and `sign` (HMAC-SHA256 of
 * "timestamp\nsecret", base64) to the URL. SMS goes to the configured gateway (POST JSON
 * `{ phones, text }`); with none configured the message is only logged. Every attempt is kept
 * in notify_log.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { NotifyKind } from './tables.js';

export interface Channel {
  id: number;
  kind: NotifyKind;
  url: string | null;
  secret: string | null;
  phones: string[];
}

export interface Outcome {
  outcome: 'sent' | 'failed' | 'logged';
  error: string | null;
}

export function dingtalkUrl(url: string, secret: string | null, now = Date.now()): string {
  if (!secret) return url;
  const timestamp = String(now);
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', timestamp);
  u.searchParams.set('sign', sign);
  return u.toString();
}

async function postJson(url: string, body: unknown): Promise<Outcome> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) return { outcome: 'failed', error: `HTTP ${res.status}` };
    // The robots answer 200 with an error code of their own (bad key, too many messages …).
    const answer = text ? (JSON.parse(text) as { errcode?: number; errmsg?: string }) : {};
    if (answer.errcode !== undefined && answer.errcode !== 0) {
      return { outcome: 'failed', error: `errcode ${answer.errcode}: ${answer.errmsg ?? ''}`.slice(0, 500) };
    }
    return { outcome: 'sent', error: null };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { outcome: 'failed', error: (cause ?? (err as Error).message).slice(0, 500) };
  }
}

/**
 * Sends a text. `recipients`: for SMS the phones to text (empty: the channel's own); for a robot
 * the phones it @-mentions (WeCom's mentioned_mobile_list, DingTalk's at.atMobiles, which DingTalk
 * highlights only when the text names them too).
 */
export async function deliver(
  channel: Channel,
  text: string,
  smsGatewayUrl: string | null,
  recipients: string[] = [],
): Promise<Outcome> {
  switch (channel.kind) {
    case 'wecom':
      return postJson(channel.url as string, {
        msgtype: 'text',
        text: { content: text, ...(recipients.length > 0 ? { mentioned_mobile_list: recipients } : {}) },
      });
    case 'dingtalk': {
      const at = recipients.map((p) => `@${p}`).join(' ');
      return postJson(dingtalkUrl(channel.url as string, channel.secret), {
        msgtype: 'text',
        text: { content: at ? `${text}\n${at}` : text },
        ...(recipients.length > 0 ? { at: { atMobiles: recipients, isAtAll: false } } : {}),
      });
    }
    case 'sms':
      if (!smsGatewayUrl) return { outcome: 'logged', error: null };
      return postJson(smsGatewayUrl, { phones: recipients.length > 0 ? recipients : channel.phones, text });
  }
}

/** Sends one message to a channel and records it. */
export async function notify(
  db: Kysely<Database>,
  channel: Channel,
  message: { subject: string; text: string },
  smsGatewayUrl: string | null,
  recipients: string[] = [],
): Promise<Outcome> {
  const result = await deliver(channel, message.text, smsGatewayUrl, recipients);
  await db
    .insertInto('notify_log')
    .values({
      channel_id: channel.id,
      kind: channel.kind,
      subject: message.subject,
      body: message.text,
      outcome: result.outcome,
      error: result.error,
    })
    .execute();
  return result;
}
