import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVars, loadConfig } from './config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'zhike-config-'));

describe('loadConfig', () => {
  it('generates the master key once into data/master.key (0600), or takes ZHIKE_MASTER_KEY', () => {
    const cwd = dir();
    const config = loadConfig({}, cwd);
    const file = join(cwd, 'data/master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(config.masterKeySource).toEqual({ kind: 'file', path: file });
    expect(config.masterKeys).toHaveLength(1);
    expect(loadConfig({}, cwd).masterKeys[0]!.id).toBe(config.masterKeys[0]!.id);
    expect(config.auditRetentionDays).toBe(365);
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64');
    const fromEnv = loadConfig({ ZHIKE_MASTER_KEY: `${a},${b}`, ZHIKE_AUDIT_RETENTION_DAYS: '730' }, dir());
    expect(fromEnv.masterKeySource).toEqual({ kind: 'env' });
    expect(fromEnv.masterKeys.map((k) => k.key.toString('base64'))).toEqual([a, b]);
    expect(fromEnv.auditRetentionDays).toBe(730);
  });

  it('refuses a malformed master key and an audit retention under a year', () => {
    expect(() => loadConfig({ ZHIKE_MASTER_KEY: 'c2hvcnQ=' }, dir())).toThrow(
      /ZHIKE_MASTER_KEY: master key must be 32 bytes/,
    );
    expect(() => loadConfig({ ZHIKE_AUDIT_RETENTION_DAYS: '30' }, dir())).toThrow(
      /ZHIKE_AUDIT_RETENTION_DAYS/,
    );
  });

  it('has working defaults and keeps a generated secret in data/secret.key (0600)', () => {
    const cwd = dir();
    const config = loadConfig({}, cwd);
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: join(cwd, 'data/zhike.db'),
      redisUrl: null,
      adminEmail: 'owner@demo.zhike.local',
      adminPassword: null,
      publicUrl: 'http://localhost:3000',
      bodyLimit: 1048576,
      logLevel: 'info',
      demo: true,
      trustProxy: false,
    });
    const file = join(cwd, 'data/secret.key');
    expect(readFileSync(file, 'utf8')).toBe(config.secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({}, cwd).secret).toBe(config.secret);
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://u@h:5432/db',
        REDIS_URL: 'redis://r:6379',
        ZHIKE_ADMIN_EMAIL: 'Boss@Shop.CN',
        ZHIKE_ADMIN_PASSWORD: 'long enough',
        ZHIKE_SECRET: 'x'.repeat(40),
        ZHIKE_PUBLIC_URL: 'https://chat.shop.cn/',
        ZHIKE_BODY_LIMIT: '2mb',
        LOG_LEVEL: 'WARN',
        ZHIKE_DEMO: '0',
        ZHIKE_TRUST_PROXY: '1',
      },
      dir(),
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgres://u@h:5432/db',
      redisUrl: 'redis://r:6379',
      adminEmail: 'boss@shop.cn',
      adminPassword: 'long enough',
      secret: 'x'.repeat(40),
      publicUrl: 'https://chat.shop.cn',
      bodyLimit: 2 * 1024 * 1024,
      logLevel: 'warn',
      demo: false,
      trustProxy: true,
    });
  });

  it('reports every problem at once, by variable name', () => {
    try {
      loadConfig(
        {
          PORT: 'abc',
          REDIS_URL: 'http://x',
          ZHIKE_SECRET: 'short',
          ZHIKE_BODY_LIMIT: 'lots',
          LOG_LEVEL: 'loud',
          ZHIKE_ADMIN_PASSWORD: '123',
        },
        dir(),
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of [
        'PORT',
        'REDIS_URL',
        'ZHIKE_SECRET',
        'ZHIKE_BODY_LIMIT',
        'LOG_LEVEL',
        'ZHIKE_ADMIN_PASSWORD',
      ]) {
        expect(message).toContain(name);
      }
    }
  });

  it('starts the SMTP listener only when its port is set, and checks its settings', () => {
    expect(loadConfig({}, dir()).smtp).toBeNull();
    const cwd = dir();
    writeFileSync(join(cwd, 'cert.pem'), 'CERT');
    writeFileSync(join(cwd, 'key.pem'), 'KEY');
    const config = loadConfig(
      {
        HOST: '127.0.0.1',
        ZHIKE_SMTP_PORT: '2525',
        ZHIKE_SMTP_MAX_BYTES: '10mb',
        ZHIKE_SMTP_TLS_CERT_FILE: 'cert.pem',
        ZHIKE_SMTP_TLS_KEY_FILE: 'key.pem',
        ZHIKE_SMTP_AUTH_USER: 'mailhost',
        ZHIKE_SMTP_AUTH_PASSWORD: 'a long forwarding secret',
      },
      cwd,
    );
    expect(config.smtp).toEqual({
      host: '127.0.0.1',
      port: 2525,
      maxBytes: 10 * 1024 * 1024,
      tls: { cert: Buffer.from('CERT'), key: Buffer.from('KEY') },
      auth: { user: 'mailhost', password: 'a long forwarding secret' },
    });
    expect(loadConfig({ ZHIKE_SMTP_PORT: '25' }, dir()).smtp).toMatchObject({
      host: '0.0.0.0',
      maxBytes: 26214400,
    });
    for (const [env, problem] of [
      [{ ZHIKE_SMTP_PORT: 'smtp' }, /ZHIKE_SMTP_PORT/],
      [{ ZHIKE_SMTP_PORT: '25', ZHIKE_SMTP_MAX_BYTES: '1k' }, /ZHIKE_SMTP_MAX_BYTES/],
      [{ ZHIKE_SMTP_PORT: '25', ZHIKE_SMTP_TLS_CERT_FILE: 'cert.pem' }, /go together/],
      [
        { ZHIKE_SMTP_PORT: '25', ZHIKE_SMTP_TLS_CERT_FILE: 'no.pem', ZHIKE_SMTP_TLS_KEY_FILE: 'no.pem' },
        /ENOENT/,
      ],
      [{ ZHIKE_SMTP_PORT: '25', ZHIKE_SMTP_AUTH_USER: 'mailhost' }, /go together/],
      [
        { ZHIKE_SMTP_PORT: '25', ZHIKE_SMTP_AUTH_USER: 'm', ZHIKE_SMTP_AUTH_PASSWORD: 'short' },
        /12 characters/,
      ],
    ] as const)
      expect(() => loadConfig(env, cwd)).toThrow(problem);
  });

  it('reads the SIP user agent settings, off unless a port is set', () => {
    expect(loadConfig({}, dir()).sip).toBeNull();
    expect(
      loadConfig({ ZHIKE_SIP_PORT: '5060', HOST: '10.0.0.2', ZHIKE_SIP_PUBLIC_ADDRESS: '203.0.113.5' }, dir())
        .sip,
    ).toEqual({
      host: '10.0.0.2',
      port: 5060,
      publicAddress: '203.0.113.5',
      rtpPorts: { min: 20000, max: 20999 },
      ringTimeoutMs: 30_000,
    });
    expect(loadConfig({ ZHIKE_SIP_PORT: '0', ZHIKE_SIP_RING_TIMEOUT: '45' }, dir()).sip?.ringTimeoutMs).toBe(
      45_000,
    );
    expect(() => loadConfig({ ZHIKE_SIP_PORT: '0', ZHIKE_SIP_RING_TIMEOUT: '2' }, dir())).toThrow(
      /ZHIKE_SIP_RING_TIMEOUT/,
    );
    expect(() => loadConfig({ ZHIKE_SIP_PORT: '0', ZHIKE_SIP_RING_TIMEOUT: 'soon' }, dir())).toThrow(
      /ZHIKE_SIP_RING_TIMEOUT/,
    );
    expect(loadConfig({ ZHIKE_SIP_PORT: '0', ZHIKE_RTP_PORTS: '30000-30010' }, dir()).sip?.rtpPorts).toEqual({
      min: 30000,
      max: 30010,
    });
    expect(() => loadConfig({ ZHIKE_SIP_PORT: 'sip' }, dir())).toThrow(/ZHIKE_SIP_PORT/);
    expect(() => loadConfig({ ZHIKE_SIP_PORT: '5060', ZHIKE_RTP_PORTS: '2000-1000' }, dir())).toThrow(
      /ZHIKE_RTP_PORTS/,
    );
    expect(() => loadConfig({ ZHIKE_SIP_PORT: '5060', ZHIKE_RTP_PORTS: '80-90' }, dir())).toThrow(
      /ZHIKE_RTP_PORTS/,
    );
  });

  it('keeps files in the data directory by default, or in an S3 bucket checked setting by setting', () => {
    expect(loadConfig({}, dir()).fileStore).toEqual({ kind: 'local' });
    const s3 = {
      ZHIKE_FILE_STORE: 's3',
      ZHIKE_S3_ENDPOINT: 'http://minio:9000/',
      ZHIKE_S3_BUCKET: 'zhike-files',
      ZHIKE_S3_ACCESS_KEY_ID: 'minio-user',
      ZHIKE_S3_SECRET_ACCESS_KEY: 'minio-secret',
    };
    expect(loadConfig(s3, dir()).fileStore).toEqual({
      kind: 's3',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      bucket: 'zhike-files',
      accessKeyId: 'minio-user',
      secretAccessKey: 'minio-secret',
      prefix: '',
      forcePathStyle: true,
    });
    expect(
      loadConfig(
        {
          ...s3,
          ZHIKE_S3_PREFIX: '/shop/one',
          ZHIKE_S3_FORCE_PATH_STYLE: '0',
          ZHIKE_S3_REGION: 'cn-north-1',
        },
        dir(),
      ).fileStore,
    ).toMatchObject({ prefix: 'shop/one/', forcePathStyle: false, region: 'cn-north-1' });

    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env, dir());
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ ZHIKE_FILE_STORE: 's3' })).toEqual([
      'ZHIKE_S3_ENDPOINT is required with ZHIKE_FILE_STORE=s3',
      'ZHIKE_S3_BUCKET is required with ZHIKE_FILE_STORE=s3',
      'ZHIKE_S3_ACCESS_KEY_ID is required with ZHIKE_FILE_STORE=s3',
      'ZHIKE_S3_SECRET_ACCESS_KEY is required with ZHIKE_FILE_STORE=s3',
    ]);
    expect(problems({ ZHIKE_FILE_STORE: 'nfs' })).toEqual([
      'ZHIKE_FILE_STORE must be local or s3, got "nfs"',
    ]);
    expect(problems({ ZHIKE_S3_BUCKET: 'zhike-files' })).toEqual([
      'ZHIKE_S3_BUCKET is set but ZHIKE_FILE_STORE is not s3',
    ]);
    expect(problems({ ...s3, ZHIKE_S3_ENDPOINT: 'minio:9000' }).join()).toMatch(
      /ZHIKE_S3_ENDPOINT must be an http/,
    );
    expect(problems({ ...s3, ZHIKE_S3_BUCKET: 'Zhike_Files' }).join()).toMatch(
      /ZHIKE_S3_BUCKET must be a bucket name/,
    );
    expect(problems({ ...s3, ZHIKE_S3_PREFIX: 'a/../b' }).join()).toMatch(/ZHIKE_S3_PREFIX may hold only/);
    expect(problems({ ...s3, ZHIKE_S3_FORCE_PATH_STYLE: 'maybe' })).toEqual([
      'ZHIKE_S3_FORCE_PATH_STYLE must be 1 or 0',
    ]);
    expect(
      problems({
        ...s3,
        ZHIKE_S3_ENDPOINT: 'https://s3.amazonaws.com',
        ZHIKE_S3_BUCKET: 'files.example.com',
        ZHIKE_S3_FORCE_PATH_STYLE: '0',
      }).join(),
    ).toMatch(/dots, which break TLS/);
  });

  it('reads the metrics token and the OpenTelemetry export, both off by default', () => {
    expect(loadConfig({}, dir())).toMatchObject({ metricsToken: null, otel: null });
    const config = loadConfig(
      {
        ZHIKE_METRICS_TOKEN: 'scrape-token-0123456789',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_SERVICE_NAME: 'zhike-eu',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%3Dcret, x-team = support',
      },
      dir(),
    );
    expect(config.metricsToken).toBe('scrape-token-0123456789');
    expect(config.otel).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'zhike-eu',
      headers: { 'api-key': 's=cret', 'x-team': 'support' },
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/base' }, dir()).otel).toEqual({
      tracesUrl: 'https://otel.example/base/v1/traces',
      serviceName: 'zhike',
      headers: {},
    });
    expect(() => loadConfig({ ZHIKE_METRICS_TOKEN: 'short' }, dir())).toThrow(/ZHIKE_METRICS_TOKEN/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, dir())).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() =>
      loadConfig(
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' },
        dir(),
      ),
    ).toThrow(/OTEL_EXPORTER_OTLP_HEADERS/);
  });

  it('documents each variable it reads', () => {
    const names = configVars.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const v of configVars) expect(v.meaning.length).toBeGreaterThan(5);
  });
});
