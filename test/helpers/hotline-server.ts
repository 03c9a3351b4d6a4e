/**
 * A reference 12345 hotline for the tests: a small node:http server that takes our calls
 * (签收, 退单, 延期申请, 办理结果) at `/orders/{工单编号}/{kind}` with a bearer token and an
 * Idempotency-Key (a repeated key is answered again, never applied twice), and a client that
 * sends CityLoop work orders and 回访 results with the hotline system's API key. It can be taken
 * down (its port refuses connections) and brought back on the same port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  orderNo: string;
  kind: string;
  key: string;
  body: Record<string, unknown>;
}

export class ReferenceHotline {
  /** Applied calls, in the order they arrived (each key once). */
  readonly calls: ReceivedCall[] = [];
  /** Every request, repeats included. */
  requests = 0;
  private server: http.Server | null = null;
  private port = 0;

  constructor(
    private readonly token: string,
    private readonly cityloop: { baseUrl: string; apiKey: string },
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Down: the port refuses connections until `start()` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  callsOf(orderNo: string): string[] {
    return this.calls.filter((c) => c.orderNo === orderNo).map((c) => c.kind);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      this.requests++;
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${this.token}`) return answer(401, { code: 'UNAUTHORIZED' });
      const m = /^\/orders\/([A-Za-z0-9_-]+)\/(sign|return|extension|reply)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) return answer(404, { code: 'NOT_FOUND' });
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || key.length === 0)
        return answer(400, { code: 'IDEMPOTENCY_KEY_REQUIRED' });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return answer(400, { code: 'BAD_JSON' });
      }
      const [, orderNo = '', kind = ''] = m;
      if (body.orderNo !== orderNo) return answer(400, { code: 'ORDER_NO_MISMATCH' });
      if (!this.calls.some((c) => c.key === key)) this.calls.push({ orderNo, kind, key, body });
      return answer(200, { code: 0, message: '成功' });
    });
  }

  /** Hotline → CityLoop. */
  async post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.cityloop.baseUrl}/api/v1/hotline/inbound${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': this.cityloop.apiKey },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  sendOrder(order: Record<string, unknown>) {
    return this.post('/orders', order);
  }

  sendVisit(orderNo: string, visit: Record<string, unknown>) {
    return this.post(`/orders/${orderNo}/visits`, visit);
  }
}
