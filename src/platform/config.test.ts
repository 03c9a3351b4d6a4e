import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has sensible defaults for an empty environment', () => {
    expect(loadConfig({}, false)).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: path.resolve('./data'),
      logLevel: 'info',
      logFormat: 'json',
      demoSeed: true,
      cookieSecure: false,
      sessionTtlHours: 12,
      bodyLimitBytes: 1024 * 1024,
      trustProxy: [],
      catalogScheme: 'gbt30428',
      mapClusterBelowZoom: 14,
      duplicateRadiusM: 50,
      duplicateWindowHours: 72,
      baseMap: null,
      webDir: path.resolve('./dist/web'),
      webBuild: true,
      demo: { historyDays: 90, historyCasesPerDay: 400, live: true },
      evaluationJobChunk: null,
      evaluationEngine: 'facts',
      hotlineOutboxSender: true,
      cameraSnapshotHosts: [],
      dbPoolSize: 10,
      embeddedTemplateDir: undefined,
      publicPortal: { phoneVerify: false, ratePerIp: 60, ratePerDevice: 20, rateWindowSeconds: 600 },
      outbound: { webhookPollMs: 5000, webhookRetryBaseMs: 2000, smsGatewayUrl: null },
      iot: {
        mqttUrl: null,
        clientId: 'cityloop-ingest',
        topicPrefix: 'cityloop',
        embeddedPort: 1883,
        rawRetentionMonths: 6,
      },
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgresql://u:p@db:5432/cityloop',
        DATA_DIR: '/var/lib/cityloop',
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'pretty',
        DEMO_SEED: 'false',
        DEMO_HISTORY_DAYS: '30',
        DEMO_HISTORY_CASES_PER_DAY: '120',
        DEMO_LIVE: '0',
        COOKIE_SECURE: '1',
        SESSION_TTL_HOURS: '8',
        BODY_LIMIT_BYTES: '2048',
        TRUST_PROXY: ' 10.0.0.1, 10.0.0.2 ,,',
        CATALOG_SCHEME: 'gbt47678',
        MAP_CLUSTER_BELOW_ZOOM: '12',
        DUPLICATE_RADIUS_M: '80',
        DUPLICATE_WINDOW_HOURS: '24',
        BASEMAP_TILE_URL: 'http://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}',
        BASEMAP_ATTRIBUTION: '天地图',
        WEB_DIR: '/opt/cityloop/web',
        WEB_BUILD: 'false',
        PUBLIC_PHONE_VERIFY: 'true',
        PUBLIC_RATE_LIMIT_PER_IP: '100',
        PUBLIC_RATE_LIMIT_PER_DEVICE: '5',
        PUBLIC_RATE_WINDOW_SECONDS: '60',
        EVALUATION_JOB_CHUNK: '500',
        EVALUATION_ENGINE: 'replay',
        HOTLINE_OUTBOX_SENDER: 'false',
        CAMERA_SNAPSHOT_HOSTS: 'vip.example.cn:8080, 10.1.2.3',
        WEBHOOK_POLL_MS: '100',
        WEBHOOK_RETRY_BASE_MS: '50',
        SMS_GATEWAY_URL: 'http://sms.local/send',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://u:p@db:5432/cityloop',
      dataDir: '/var/lib/cityloop',
      logLevel: 'debug',
      logFormat: 'pretty',
      demoSeed: false,
      cookieSecure: true,
      sessionTtlHours: 8,
      bodyLimitBytes: 2048,
      trustProxy: ['10.0.0.1', '10.0.0.2'],
      catalogScheme: 'gbt47678',
      mapClusterBelowZoom: 12,
      duplicateRadiusM: 80,
      duplicateWindowHours: 24,
      baseMap: {
        url: 'http://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}',
        attribution: '天地图',
      },
      webDir: '/opt/cityloop/web',
      webBuild: false,
      demo: { historyDays: 30, historyCasesPerDay: 120, live: false },
      evaluationJobChunk: 500,
      evaluationEngine: 'replay',
      hotlineOutboxSender: false,
      cameraSnapshotHosts: ['vip.example.cn:8080', '10.1.2.3'],
      dbPoolSize: 10,
      embeddedTemplateDir: undefined,
      publicPortal: { phoneVerify: true, ratePerIp: 100, ratePerDevice: 5, rateWindowSeconds: 60 },
      outbound: { webhookPollMs: 100, webhookRetryBaseMs: 50, smsGatewayUrl: 'http://sms.local/send' },
      iot: expect.objectContaining({ mqttUrl: null }),
    });
    expect(
      loadConfig({
        MQTT_URL: 'mqtt://broker:1883',
        MQTT_TOPIC_PREFIX: 'city/a',
        IOT_RAW_RETENTION_MONTHS: '3',
      }).iot,
    ).toMatchObject({ mqttUrl: 'mqtt://broker:1883', topicPrefix: 'city/a', rawRetentionMonths: 3 });
    expect(() => loadConfig({ MQTT_URL: 'http://broker' })).toThrow(/MQTT_URL/);
    expect(loadConfig({ DATABASE_URL: 'postgres://x' }).databaseUrl).toBe('postgres://x');
    expect(loadConfig({ DEMO_SEED: '0', COOKIE_SECURE: 'true' })).toMatchObject({
      demoSeed: false,
      cookieSecure: true,
    });
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(
      loadConfig({ DEMO_HISTORY_DAYS: '7', DEMO_HISTORY_CASES_PER_DAY: '50', DEMO_LIVE: 'false' }).demo,
    ).toEqual({ historyDays: 7, historyCasesPerDay: 50, live: false });
    expect(() => loadConfig({ DEMO_HISTORY_DAYS: '-1' })).toThrow(ConfigError);
  });

  it('refuses an unknown CATALOG_SCHEME and a non-positive DUPLICATE_RADIUS_M, naming them', () => {
    expect(() => loadConfig({ CATALOG_SCHEME: 'gb2013' })).toThrow(/CATALOG_SCHEME/);
    expect(() => loadConfig({ BASEMAP_TILE_URL: 'ftp://x/{z}/{x}/{y}' })).toThrow(/BASEMAP_TILE_URL/);
    expect(() => loadConfig({ BASEMAP_TILE_URL: 'https://x/tiles/{z}/{x}' })).toThrow(/BASEMAP_TILE_URL/);
    expect(() => loadConfig({ DUPLICATE_RADIUS_M: '0' })).toThrow(/DUPLICATE_RADIUS_M/);
  });

  it('resolves DATA_DIR to an absolute path', () => {
    const dir = loadConfig({ DATA_DIR: 'some/relative/dir' }).dataDir;
    expect(path.isAbsolute(dir)).toBe(true);
    expect(dir).toBe(path.join(process.cwd(), 'some/relative/dir'));
    expect(loadConfig({ DATA_DIR: '../up' }).dataDir).toBe(path.resolve(process.cwd(), '..', 'up'));
  });

  it('treats empty values as unset', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '', HOST: ' ', DATA_DIR: '' });
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, logLevel: 'info', host: '127.0.0.1' });
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'x'],
    ['DEMO_SEED', 'yes'],
    ['COOKIE_SECURE', 'on'],
    ['SESSION_TTL_HOURS', '0'],
    ['SESSION_TTL_HOURS', String(24 * 90 + 1)],
    ['BODY_LIMIT_BYTES', '10'],
  ])('%s=%s throws a ConfigError naming the variable', (name, value) => {
    const err = configError({ [name]: value });
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatch(new RegExp(`^${name}: `));
    expect(err.message).toContain(name);
    expect(err.message).toMatch(/^Invalid configuration 配置无效:/);
  });

  it('reports every invalid variable at once', () => {
    const err = configError({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(err.issues.map((i) => i.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect(err.message).toContain('must be a postgres:// or postgresql:// URL');
  });

  it('logs readable lines at a terminal and JSON lines otherwise, unless LOG_FORMAT says', () => {
    expect(loadConfig({}, true).logFormat).toBe('pretty');
    expect(loadConfig({}, false).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }, false).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(ConfigError);
  });

  it('ignores unrelated variables', () => {
    expect(loadConfig({ PATH: '/bin', SOMETHING_ELSE: 'x' }).port).toBe(3000);
  });
});
