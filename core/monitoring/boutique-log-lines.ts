// What each Online Boutique v0.10 service prints, in its own format: the start-up lines (taken
// from the upstream sources: src/<service>/ of GoogleCloudPlatform/microservices-demo) and the
// last words of a crash. The sim lab writes these to the pod log files KWOK serves, since its
// pods run no process (docs/pod-logs.md).
import type { LogStream } from './cri-log.ts';

export interface LogLine {
  stream: LogStream;
  text: string;
}

/** What a line may depend on: the pod (Node and Python print their hostname) and its port. */
export interface LineContext {
  pod: string;
  port: number;
  at: Date;
}

type Say = (c: LineContext, message: string, level?: string) => LogLine;

// Go services: logrus with a JSON formatter (message, severity, timestamp).
const goJson: Say = (c, message, level = 'info') => ({
  stream: 'stdout',
  text: JSON.stringify({ message, severity: level, timestamp: c.at.toISOString() }),
});
// Node services: pino, with `severity` for the level and `message` as the message key.
const pinoJson =
  (name: string): Say =>
  (c, message, level = 'info') => ({
    stream: 'stdout',
    text: JSON.stringify({ severity: level, time: c.at.getTime(), pid: 1, hostname: c.pod, name, message }),
  });
// Python services: the shared logger.py JSON formatter.
const pythonJson =
  (name: string): Say =>
  (c, message, level = 'INFO') => ({
    stream: 'stdout',
    text: JSON.stringify({ timestamp: c.at.toISOString(), severity: level, name, message }),
  });
// adservice: log4j2's JSON layout.
const log4jJson: Say = (c, message, level = 'INFO') => ({
  stream: 'stdout',
  text: JSON.stringify({
    instant: { epochSecond: Math.floor(c.at.getTime() / 1000), nanoOfSecond: (c.at.getTime() % 1000) * 1e6 },
    thread: 'main',
    level,
    loggerName: 'hipstershop.AdService',
    message,
    endOfBatch: false,
    loggerFqcn: 'org.apache.logging.log4j.spi.AbstractLogger',
    threadId: 1,
    threadPriority: 5,
  }),
});
const plain = (text: string, stream: LogStream = 'stdout'): LogLine => ({ stream, text });
// redis: `<pid>:<role> <day> <month> <year> <time>.<ms> <level> <message>`.
const redis = (c: LineContext, role: 'C' | 'M', level: '*' | '#', message: string): LogLine => {
  const d = c.at;
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const time = d.toISOString().slice(11, 23);
  const day = String(d.getUTCDate()).padStart(2, '0');
  return plain(`1:${role} ${day} ${month} ${d.getUTCFullYear()} ${time} ${level} ${message}`);
};

const goPanic = (service: string): LogLine[] =>
  [
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x8f1b2a]',
    '',
    'goroutine 1 [running]:',
    `main.main()`,
    `\t/src/${service}/main.go:128 +0x4aa`,
  ].map((t) => plain(t, 'stderr'));

const nodeCrash = (file: string): LogLine[] =>
  [
    `/usr/src/app/${file}:94`,
    '    throw new TypeError("Cannot read properties of undefined (reading \'units\')");',
    '    ^',
    '',
    "TypeError: Cannot read properties of undefined (reading 'units')",
    `    at Object.<anonymous> (/usr/src/app/${file}:94:11)`,
    '',
    'Node.js v20.19.5',
  ].map((t) => plain(t, 'stderr'));

const pythonCrash = (file: string): LogLine[] =>
  [
    'Traceback (most recent call last):',
    `  File "/${file}", line 199, in <module>`,
    '    start(dummy_mode = True)',
    'MemoryError',
  ].map((t) => plain(t, 'stderr'));

interface ServiceLog {
  startup: (c: LineContext) => LogLine[];
  crash: (c: LineContext) => LogLine[];
}

const goService = (
  service: string,
  listening: (port: number) => string,
  extra: string[] = [],
): ServiceLog => ({
  startup: (c) => [
    goJson(c, 'Tracing disabled.'),
    goJson(c, 'Profiling disabled.'),
    ...extra.map((m) => goJson(c, m)),
    goJson(c, listening(c.port)),
  ],
  crash: () => goPanic(service),
});

const SERVICES: Record<string, ServiceLog> = {
  frontend: goService('frontend', (port) => `starting server on :${port}`),
  productcatalogservice: goService('productcatalogservice', (port) => `starting grpc server at :${port}`, [
    'successfully parsed product catalog json',
  ]),
  checkoutservice: goService('checkoutservice', (port) => `starting to listen on tcp: "[::]:${port}"`),
  shippingservice: goService('shippingservice', (port) => `Shipping Service listening on port :${port}`),
  currencyservice: {
    startup: (c) => {
      const say = pinoJson('currencyservice-server');
      return [
        plain('Profiler disabled.'),
        say(c, 'Tracing disabled.'),
        say(c, `Starting gRPC server on port ${c.port}...`),
      ];
    },
    crash: () => nodeCrash('server.js'),
  },
  paymentservice: {
    startup: (c) => {
      const say = pinoJson('paymentservice');
      return [
        say(c, 'Profiler disabled.'),
        say(c, 'Tracing disabled.'),
        say(c, `PaymentService gRPC server started on port ${c.port}`),
      ];
    },
    crash: () => nodeCrash('charge.js'),
  },
  emailservice: {
    startup: (c) => {
      const say = pythonJson('emailservice-server');
      return [
        say(c, 'starting the email service in dummy mode.'),
        say(c, 'Profiler disabled.'),
        say(c, 'Tracing disabled.'),
        say(c, `listening on port: ${c.port}`),
      ];
    },
    crash: () => pythonCrash('email_server.py'),
  },
  recommendationservice: {
    startup: (c) => {
      const say = pythonJson('recommendationservice-server');
      return [
        say(c, 'initializing recommendationservice'),
        say(c, 'Profiler disabled.'),
        say(c, 'Tracing disabled.'),
        say(c, `listening on port: ${c.port}`),
      ];
    },
    crash: () => pythonCrash('recommendation_server.py'),
  },
  adservice: {
    startup: (c) => [
      log4jJson(c, 'AdService starting.'),
      log4jJson(c, `Ad Service started, listening on ${c.port}`),
    ],
    crash: () =>
      [
        'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
        '\tat hipstershop.AdService.createAdsMap(AdService.java:246)',
        '\tat hipstershop.AdService.main(AdService.java:309)',
      ].map((t) => plain(t, 'stderr')),
  },
  cartservice: {
    startup: (c) =>
      [
        'info: Microsoft.Hosting.Lifetime[14]',
        `      Now listening on: http://[::]:${c.port}`,
        'info: Microsoft.Hosting.Lifetime[0]',
        '      Application started. Press Ctrl+C to shut down.',
        'info: Microsoft.Hosting.Lifetime[0]',
        '      Hosting environment: Production',
        'info: Microsoft.Hosting.Lifetime[0]',
        '      Content root path: /app',
      ].map((t) => plain(t)),
    crash: () =>
      [
        'Unhandled exception. StackExchange.Redis.RedisConnectionException: It was not possible to connect to the redis server(s). UnableToConnect on redis-cart:6379/Interactive',
        '   at cartservice.cartstore.RedisCartStore.EnsureRedisConnected() in /app/cartstore/RedisCartStore.cs:line 74',
      ].map((t) => plain(t, 'stderr')),
  },
  'redis-cart': {
    startup: (c) => [
      redis(c, 'C', '*', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'),
      redis(c, 'C', '*', 'Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started'),
      redis(
        c,
        'C',
        '#',
        'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
      ),
      redis(c, 'M', '*', 'monotonic clock: POSIX clock_gettime'),
      redis(c, 'M', '*', `Running mode=standalone, port=${c.port}.`),
      redis(c, 'M', '*', 'Server initialized'),
      redis(c, 'M', '*', 'Ready to accept connections tcp'),
    ],
    crash: (c) => [
      redis(c, 'M', '#', "Can't handle RDB format version 12"),
      redis(c, 'M', '#', 'Fatal error loading the DB, check server logs. Exiting.'),
    ],
  },
};

// A workload the lab does not know (a learner's own Deployment): one honest line.
const UNKNOWN: ServiceLog = {
  startup: () => [plain('(simulated pod: KWOK runs no container, so this app has no log of its own)')],
  crash: () => [plain('(simulated pod: the container exited with an error)', 'stderr')],
};

/** The start-up lines the app's container prints (its `app` label). */
export const startupLines = (app: string, context: LineContext): LogLine[] =>
  (SERVICES[app] ?? UNKNOWN).startup(context);

/** The last lines a crashing container of the app prints before it exits. */
export const crashLines = (app: string, context: LineContext): LogLine[] =>
  (SERVICES[app] ?? UNKNOWN).crash(context);

/** The apps with their own lines. */
export const KNOWN_APPS = Object.keys(SERVICES);
