/**
 * Following a background job in API tests: `settled` polls GET /jobs/{id} until the job ends;
 * `jobAnswer` turns a 202 into the answer the endpoint gave when it was synchronous — a succeeded
 * job's result as 200, a failed one's error as its code's status in the one error format — so
 * tests written against the synchronous answer keep asserting the same things.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/platform/errors.js';
import type { ApiApp } from '../../src/platform/http/types.js';

export interface JobViewBody {
  id: string;
  kind: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  message: string | null;
  error: { code: string; messages: { zh: string; en: string }; details?: unknown } | null;
}

export interface Answer {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
  json(): // biome-ignore lint/suspicious/noExplicitAny: answers differ per endpoint
  any;
}

export async function settled(
  app: ApiApp,
  headers: Record<string, string>,
  id: string,
  seen: JobViewBody[] = [],
): Promise<JobViewBody> {
  const end = Date.now() + 120_000;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json() as JobViewBody;
    seen.push(v);
    if (v.state === 'succeeded' || v.state === 'failed' || v.state === 'cancelled') return v;
    if (Date.now() > end) throw new Error(`job ${id} still ${v.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The synchronous answer behind a 202 (any other answer is returned as it is). */
export async function jobAnswer(
  app: ApiApp,
  headers: Record<string, string>,
  res: LightMyRequestResponse,
): Promise<Answer> {
  if (res.statusCode !== 202) return res;
  const job = res.json() as JobViewBody;
  expect(res.headers.location).toBe(`/api/v1/jobs/${job.id}`);
  const end = await settled(app, headers, job.id);
  if (end.state === 'succeeded') {
    const r = await app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}/result`, headers });
    expect(r.statusCode, r.body).toBe(200);
    return r;
  }
  if (end.state === 'failed' && end.error) {
    const e = end.error;
    const body = {
      error: {
        code: e.code,
        message: e.messages.zh,
        messages: e.messages,
        details: e.details ?? null,
        requestId: job.id,
      },
    };
    const text = JSON.stringify(body);
    return {
      statusCode: ERRORS[e.code as ErrorCode]?.status ?? 500,
      body: text,
      headers: {},
      json: () => JSON.parse(text),
    };
  }
  throw new Error(`job ${job.id} ended ${end.state}`);
}
