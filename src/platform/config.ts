import path from 'node:path';
import { z } from 'zod';

/** Typed configuration, parsed once from the environment; start-up stops with a clear message if invalid. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty`: readable lines for a person at a terminal; `json`: one JSON object a line for a log collector; `auto`: pretty when stdout is a terminal. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  /** Seed the demo city into an empty database at start (set to false for a real deployment). */
  DEMO_SEED: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Demo mode: days of generated case history written in the background at the first start (0: none). */
  DEMO_HISTORY_DAYS: z.coerce.number().int().min(0).max(366).default(90),
  /** Demo mode: mean reports per day of that history (the demo city's 3,000 grids). */
  DEMO_HISTORY_CASES_PER_DAY: z.coerce.number().int().min(1).max(5000).default(400),
  /** Demo mode: simulated supervisors, reports and staff moving cases while the server runs. */
  DEMO_LIVE: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Mark the session cookie Secure (set when served over HTTPS). */
  COOKIE_SECURE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(12),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Comma-separated proxy addresses to trust for X-Forwarded-For (client ip in the audit log). */
  TRUST_PROXY: z.string().default(''),
  /** Category code scheme cases are filed under: GB/T 30428.2 (2-digit minors) or GB/T 47678.5 (3-digit). */
  CATALOG_SCHEME: z.enum(['gbt30428', 'gbt47678']).default('gbt30428'),
  /** Point layers (cases, components) are served as clusters below this zoom, as points from it. */
  MAP_CLUSTER_BELOW_ZOOM: z.coerce.number().int().min(0).max(22).default(14),
  /** Possible duplicates at intake: open cases of the same 小类 within this distance (m)… */
  DUPLICATE_RADIUS_M: z.coerce.number().int().min(1).max(5000).default(50),
  /** …reported within this many hours of each other. */
  DUPLICATE_WINDOW_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(72),
  /** Optional raster base map under the own vector layers, e.g. a 天地图 URL with {z}/{x}/{y}. */
  BASEMAP_TILE_URL: z
    .string()
    .regex(/^https?:\/\//, 'an http(s) URL')
    .refine((u) => ['{z}', '{x}', '{y}'].every((p) => u.includes(p)), 'a URL template with {z}, {x} and {y}')
    .optional(),
  BASEMAP_ATTRIBUTION: z.string().max(200).optional(),
  /** Ask for an SMS code when a citizen leaves a phone number (needs an SMS integration). */
  PUBLIC_PHONE_VERIFY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Public POSTs allowed per client address per window (carrier NAT puts many phones on one address). */
  PUBLIC_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Public POSTs allowed per device (X-Device-Id) per window. */
  PUBLIC_RATE_LIMIT_PER_DEVICE: z.coerce.number().int().min(1).max(100_000).default(20),
  PUBLIC_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /**
   * Cases per chunk of a background evaluation (POST /evaluation/runs); between chunks the server
   * answers waiting requests. Default: 250 on the embedded store (its statements run on the
   * server's own thread), 2000 on PostgreSQL.
   */
  EVALUATION_JOB_CHUNK: z.coerce.number().int().min(1).max(100_000).optional(),
  /**
   * How background evaluations count: 'facts' (aggregate SQL over the evaluation facts) or
   * 'replay' (the pure engine over the event log, chunk by chunk: slow, the reference the facts
   * are proven against).
   */
  EVALUATION_ENGINE: z.enum(['facts', 'replay']).default('facts'),
  /** Outbound webhooks: how often the worker looks for deliveries when idle, and the first retry delay (doubling). */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(5000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(2000),
  /** The SMS gateway (POST JSON { phones, text }); unset: messages are only logged. */
  SMS_GATEWAY_URL: z
    .string()
    .regex(/^https?:\/\//)
    .optional(),
  /** Folder of the built web console (`vite build`); served at / when present. */
  WEB_DIR: z.string().min(1).default('./dist/web'),
  /** Build the console at start when its sources changed (off for images shipped pre-built). */
  WEB_BUILD: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Deliver the 12345 outbox (our calls to the hotline) from this process (false: another does). */
  HOTLINE_OUTBOX_SENDER: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /**
   * Hosts (name or name:port, comma-separated) whose snapshot URLs camera events may give: the
   * server fetches only from these (the video platforms), never from an address an event names.
   */
  CAMERA_SNAPSHOT_HOSTS: z
    .string()
    .max(2000)
    .regex(/^[A-Za-z0-9.:, [\]-]*$/, 'host names or host:port, comma-separated')
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /**
   * Connections of the server's PostgreSQL pool. A report holds one for a single statement that
   * waits for its commit's flush: more in flight share a flush (group commit).
   */
  DB_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(10),
  /** The city's MQTT broker (Mosquitto, EMQX …) sensors publish to; unset: an embedded broker. */
  MQTT_URL: z
    .string()
    .regex(/^mqtts?:\/\//, 'an mqtt:// or mqtts:// URL')
    .optional(),
  /** Fixed client id of the ingester: its persistent session keeps messages while it is down. */
  MQTT_CLIENT_ID: z.string().min(1).max(64).default('cityloop-ingest'),
  /** Device topics: <prefix>/devices/<deviceId>/json and …/frame. */
  MQTT_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'topic levels of letters, digits, _ and -')
    .default('cityloop'),
  /** Port of the embedded broker (when MQTT_URL is unset); 0: any free port. */
  MQTT_EMBEDDED_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
  /** Months of raw device messages kept (whole monthly partitions are dropped). */
  IOT_RAW_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(6),
  /**
   * Where the first embedded start keeps its migrated, seeded template data directory (made once
   * per version, copied into every new data directory); 'off' makes each from nothing.
   */
  EMBEDDED_TEMPLATE_DIR: z.string().min(1).optional(),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dbPoolSize?: number;
  dataDir: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  logFormat: 'pretty' | 'json';
  demoSeed: boolean;
  /** The living demo (issue 13); only in effect when `demoSeed` is. */
  demo: DemoConfig;
  cookieSecure: boolean;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  trustProxy: string[];
  catalogScheme: 'gbt30428' | 'gbt47678';
  mapClusterBelowZoom: number;
  duplicateRadiusM: number;
  duplicateWindowHours: number;
  baseMap: { url: string; attribution?: string } | null;
  webDir: string;
  webBuild: boolean;
  publicPortal: PublicPortalConfig;
  evaluationJobChunk: number | null;
  evaluationEngine: 'facts' | 'replay';
  hotlineOutboxSender: boolean;
  /** Hosts camera snapshot URLs may point at (empty: URL snapshots are refused). */
  cameraSnapshotHosts: string[];
  outbound: { webhookPollMs: number; webhookRetryBaseMs: number; smsGatewayUrl: string | null };
  iot: IotConfig;
  /** null: no template (EMBEDDED_TEMPLATE_DIR=off); undefined: the installation's cache. */
  embeddedTemplateDir?: string | null;
};

/** Sensors over MQTT (issue 15). */
export interface IotConfig {
  mqttUrl: string | null;
  clientId: string;
  topicPrefix: string;
  embeddedPort: number;
  rawRetentionMonths: number;
}

export interface DemoConfig {
  historyDays: number;
  historyCasesPerDay: number;
  live: boolean;
}

/** Settings of the citizen portal (公众参与). */
export interface PublicPortalConfig {
  phoneVerify: boolean;
  ratePerIp: number;
  ratePerDevice: number;
  rateWindowSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration 配置无效:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  terminal = process.stdout.isTTY === true,
): Config {
  // `PORT=` in an env file means "not set", not port 0 (a random port) or an invalid value.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT === 'auto' ? (terminal ? 'pretty' : 'json') : e.LOG_FORMAT,
    demoSeed: e.DEMO_SEED,
    demo: {
      historyDays: e.DEMO_HISTORY_DAYS,
      historyCasesPerDay: e.DEMO_HISTORY_CASES_PER_DAY,
      live: e.DEMO_LIVE,
    },
    cookieSecure: e.COOKIE_SECURE,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    trustProxy: e.TRUST_PROXY.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    catalogScheme: e.CATALOG_SCHEME,
    mapClusterBelowZoom: e.MAP_CLUSTER_BELOW_ZOOM,
    duplicateRadiusM: e.DUPLICATE_RADIUS_M,
    duplicateWindowHours: e.DUPLICATE_WINDOW_HOURS,
    baseMap: e.BASEMAP_TILE_URL
      ? {
          url: e.BASEMAP_TILE_URL,
          ...(e.BASEMAP_ATTRIBUTION ? { attribution: e.BASEMAP_ATTRIBUTION } : {}),
        }
      : null,
    webDir: path.resolve(e.WEB_DIR),
    webBuild: e.WEB_BUILD,
    evaluationJobChunk: e.EVALUATION_JOB_CHUNK ?? null,
    evaluationEngine: e.EVALUATION_ENGINE,
    hotlineOutboxSender: e.HOTLINE_OUTBOX_SENDER,
    cameraSnapshotHosts: e.CAMERA_SNAPSHOT_HOSTS,
    outbound: {
      webhookPollMs: e.WEBHOOK_POLL_MS,
      webhookRetryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      smsGatewayUrl: e.SMS_GATEWAY_URL ?? null,
    },
    iot: {
      mqttUrl: e.MQTT_URL ?? null,
      clientId: e.MQTT_CLIENT_ID,
      topicPrefix: e.MQTT_TOPIC_PREFIX,
      embeddedPort: e.MQTT_EMBEDDED_PORT,
      rawRetentionMonths: e.IOT_RAW_RETENTION_MONTHS,
    },
    embeddedTemplateDir:
      e.EMBEDDED_TEMPLATE_DIR === 'off'
        ? null
        : e.EMBEDDED_TEMPLATE_DIR
          ? path.resolve(e.EMBEDDED_TEMPLATE_DIR)
          : undefined,
    publicPortal: {
      phoneVerify: e.PUBLIC_PHONE_VERIFY,
      ratePerIp: e.PUBLIC_RATE_LIMIT_PER_IP,
      ratePerDevice: e.PUBLIC_RATE_LIMIT_PER_DEVICE,
      rateWindowSeconds: e.PUBLIC_RATE_WINDOW_SECONDS,
    },
    dbPoolSize: e.DB_POOL_SIZE,
  };
}
