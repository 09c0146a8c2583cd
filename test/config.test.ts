import t from 'tap';
import { loadConfig, defaults, ConfigError } from '../src/config.js';

t.test('configuration: defaults, environment, flags win over environment', async (t) => {
  t.same(loadConfig([], {}), defaults);
  t.same(defaults, {
    host: '127.0.0.1',
    port: 8080,
    dataDir: './data',
    durability: 'commit',
    logLevel: 'info',
    demo: true,
    maxUploadBytes: 10 * 1024 * 1024,
    uploadIdleMs: 8000,
    frameRate: 200,
    frameBurst: 2000,
    minFreeBytes: 64 * 1024 * 1024,
    sessionTtlMin: 720,
    refreshTtlDays: 30,
    reportTimeZone: 'UTC',
    leaseMs: 5000,
  });
  const env = {
    SWITCHBOARD_PORT: '9000',
    SWITCHBOARD_HOST: '0.0.0.0',
    SWITCHBOARD_DATA: '/srv/sb',
    SWITCHBOARD_DURABILITY: 'flushed',
    SWITCHBOARD_LOG_LEVEL: 'warn',
    SWITCHBOARD_DEMO: '0',
    SWITCHBOARD_MAX_UPLOAD_BYTES: '1048576',
    SWITCHBOARD_FRAME_RATE: '0',
    SWITCHBOARD_FRAME_BURST: '10',
    SWITCHBOARD_MIN_FREE_BYTES: '0',
    SWITCHBOARD_SESSION_TTL_MIN: '60',
    SWITCHBOARD_REFRESH_TTL_DAYS: '7',
    SWITCHBOARD_REPORT_TIME_ZONE: 'Asia/Shanghai',
  };
  t.same(loadConfig([], env), {
    host: '0.0.0.0',
    port: 9000,
    dataDir: '/srv/sb',
    durability: 'flushed',
    logLevel: 'warn',
    demo: false,
    maxUploadBytes: 1048576,
    uploadIdleMs: 8000,
    frameRate: 0,
    frameBurst: 10,
    minFreeBytes: 0,
    sessionTtlMin: 60,
    refreshTtlDays: 7,
    reportTimeZone: 'Asia/Shanghai',
    leaseMs: 5000,
  });
  t.same(
    loadConfig(
      [
        '--port',
        '7000',
        '--host',
        '127.0.0.2',
        '--data',
        'x',
        '--durability',
        'commit',
        '--log-level',
        'debug',
        '--max-upload-bytes',
        '5000',
        '--frame-rate',
        '50',
        '--frame-burst',
        '100',
        '--session-ttl-min',
        '15',
        '--min-free-bytes',
        '1000',
        '--report-time-zone',
        'europe/berlin',
      ],
      env,
    ),
    {
      host: '127.0.0.2',
      port: 7000,
      dataDir: 'x',
      durability: 'commit',
      logLevel: 'debug',
      demo: false,
      maxUploadBytes: 5000,
      uploadIdleMs: 8000,
      frameRate: 50,
      frameBurst: 100,
      minFreeBytes: 1000,
      sessionTtlMin: 15,
      refreshTtlDays: 7,
      reportTimeZone: 'Europe/Berlin',
      leaseMs: 5000,
    },
    'MON-2: a report time zone by any case, in its canonical spelling',
  );
  t.equal(loadConfig(['--no-demo'], {}).demo, false);
  t.same(loadConfig([], { SWITCHBOARD_PORT: '', SWITCHBOARD_HOST: '' }), defaults, 'empty variables count as unset');
});

t.test('configuration: invalid values are refused with a clear message', async (t) => {
  t.throws(() => loadConfig(['--port', 'eighty'], {}), { code: 'config_invalid', name: 'ConfigError' });
  t.throws(() => loadConfig(['--port', '3.5'], {}), new ConfigError('invalid port: 3.5'));
  t.throws(() => loadConfig(['--port', '70000'], {}), /invalid port/);
  t.throws(() => loadConfig([], { SWITCHBOARD_DURABILITY: 'sometimes' }), /durability/);
  // CLUSTER-2/3: --nats makes a cluster node, whose durability is `cluster`, and `cluster` needs --nats.
  const node = loadConfig(['--nats', 'nats://127.0.0.1:4222, nats://127.0.0.1:4223', '--node-id', 'n-1'], {});
  t.same(
    [node.nats, node.nodeId, node.durability, node.leaseMs],
    [['nats://127.0.0.1:4222', 'nats://127.0.0.1:4223'], 'n-1', 'cluster', 5000],
  );
  t.equal(loadConfig([], { SWITCHBOARD_NATS: 'nats://h:1', SWITCHBOARD_LEASE_MS: '900' }).leaseMs, 900);
  t.throws(() => loadConfig(['--durability', 'cluster'], {}), /needs the NATS servers/);
  t.throws(() => loadConfig(['--nats', 'nats://h:1', '--durability', 'commit'], {}), /durability is "cluster"/);
  t.throws(() => loadConfig(['--nats', ' , '], {}), /at least one server/);
  t.throws(() => loadConfig(['--nats', 'nats://h:1', '--node-id', 'a.b'], {}), /node id/);
  t.throws(() => loadConfig(['--lease-ms', '10'], {}), /lease ms/);
  t.throws(() => loadConfig(['--log-level', 'loud'], {}), /log level/);
  t.throws(
    () => loadConfig(['--report-time-zone', 'Mars/Olympus'], {}),
    { code: 'config_invalid', message: /report time zone must be an IANA zone/ },
    'MON-2: an unknown report time zone',
  );
  t.throws(() => loadConfig(['--unknown'], {}), { code: 'config_invalid', message: /Unknown option/ });
  t.throws(() => loadConfig(['--port'], {}), { code: 'config_invalid' });
  t.throws(() => loadConfig(['--max-upload-bytes', '0'], {}), /max upload bytes/, 'CONV-1: an upload limit of 0');
  t.throws(
    () => loadConfig([], { SWITCHBOARD_MAX_UPLOAD_BYTES: '10MB' }),
    /max upload bytes/,
    'CONV-1: a limit that is not a number of bytes',
  );
  t.throws(
    () => loadConfig(['--max-upload-bytes', String(2 ** 30 + 1)], {}),
    /max upload bytes/,
    'CONV-1: a limit above 1 GiB',
  );
  t.throws(
    () => loadConfig(['--session-ttl-min', '0'], {}),
    /invalid session ttl min: 0 \(1 to 10080\)/,
    'ROLE-4: a session that never lasts',
  );
  t.throws(
    () => loadConfig([], { SWITCHBOARD_REFRESH_TTL_DAYS: '366' }),
    /invalid refresh ttl days: 366/,
    'ROLE-4: a refresh token of more than a year',
  );
  t.throws(
    () => loadConfig(['--frame-rate=-1'], {}),
    new ConfigError('invalid frame rate: -1 (0 to 1000000)'),
    'OPS-5: a negative frame rate',
  );
  t.throws(
    () => loadConfig([], { SWITCHBOARD_FRAME_BURST: '0' }),
    /invalid frame burst: 0 \(1 to 1000000\)/,
    'OPS-5: a burst of no frames',
  );
  t.throws(
    () => loadConfig(['--min-free-bytes', '1GB'], {}),
    /invalid min free bytes: 1GB/,
    'OPS-5: a disk reserve that is not a number of bytes',
  );
});
