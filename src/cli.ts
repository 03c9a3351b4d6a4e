import { Command, InvalidArgumentError } from 'commander';
import { isRole, ROLES } from './domain/access/permissions.js';
import { rebuildAllFacts } from './modules/evaluation/facts/rebuild.js';
import { publishTraffic, registerSimDevices } from './modules/iot/simulator.js';
import { createUser, resetPassword } from './modules/org/users.js';
import { systemActor } from './platform/auth/actor.js';
import { type Config, ConfigError, loadConfig } from './platform/config.js';
import { migrate } from './platform/db/migrate.js';
import { openStore } from './platform/db/store.js';
import { AppError } from './platform/errors.js';
import { VERSION } from './platform/http/app.js';
import { startupProblem } from './platform/startup-errors.js';
import { isSeeded, seedDemoCity } from './seed/demo-city.js';
import { seedHistory } from './seed/history.js';
import { startServer } from './server.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function withStore<T>(
  config: Config,
  fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
) {
  const store = await openStore(config, say);
  try {
    await migrate(store);
    return await fn(store);
  } finally {
    await store.close();
  }
}

const cliMeta = { ip: null, requestId: null, userAgent: 'cityloop-cli' };

export function buildCli(config: () => Config): Command {
  const program = new Command('cityloop')
    .description('CityLoop — 数字城管 / 智慧城管 platform')
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError();

  program
    .command('start')
    .description('migrate, seed the demo city into an empty database, and serve the API')
    .action(async () => {
      await startServer(config());
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const applied = await withStore(config(), migrate);
      say(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    });

  const positiveInt = (what: string) => (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${what}: a positive integer`);
    return n;
  };
  program
    .command('seed')
    .description('write the demo city into an empty database; --history adds generated case history')
    .option('--seed <n>', 'generator seed (same seed → same city / same history)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a non-negative integer');
      return n;
    })
    .option('--history [days]', 'also write this many days of case history up to now (default 365)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 3660)
        throw new InvalidArgumentError('a number of days (1–3660)');
      return n;
    })
    .option('--cases-per-day <n>', 'mean reports per day of the history (default 2800)', positiveInt('cases'))
    .action(async (opts: { seed?: number; history?: number | true; casesPerDay?: number }) => {
      const days = opts.history === undefined ? 0 : opts.history === true ? 365 : opts.history;
      await withStore(config(), async (store) => {
        if (await isSeeded(store.db)) {
          if (days === 0) say('the database already holds a city; nothing seeded');
        } else {
          const city = await seedDemoCity(store, days === 0 ? opts.seed : undefined);
          say(
            `seeded: ${city.divisions.length} divisions, ${city.grids.length} grids, ${city.departments.length} departments, ${city.users.length} users`,
          );
        }
        if (days === 0) return;
        // The history ends now and starts `days` local days back (today included).
        const now = new Date();
        const from = new Date(now.getTime() - (days - 1) * 86_400_000);
        let shown = 0;
        const r = await seedHistory(store, {
          from,
          days,
          until: now,
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.casesPerDay !== undefined ? { casesPerDay: opts.casesPerDay } : {}),
          onProgress: ({ cases }) => {
            if (cases - shown >= 100_000) {
              shown = cases;
              say(`  … ${cases} cases`);
            }
          },
        });
        say(
          `history: ${r.cases} cases, ${r.events} events in ${r.seconds.toFixed(1)} s (${Math.round(r.cases / r.seconds)} cases/s)`,
        );
      });
    });

  const facts = program
    .command('facts')
    .description('the evaluation facts (a projection of the case event log)');
  facts
    .command('rebuild')
    .description(
      'recompute the evaluation facts from the event log (after a crash or damage; stop the server first)',
    )
    .option('--chunk <n>', 'cases per transaction (default 5000)', positiveInt('chunk'))
    .action(async (opts: { chunk?: number }) => {
      await withStore(config(), async (store) => {
        const t0 = performance.now();
        let shown = 0;
        const r = await rebuildAllFacts(store.db, {
          ...(opts.chunk ? { chunk: opts.chunk } : {}),
          onProgress: ({ cases, total }) => {
            if (cases - shown >= 50_000) {
              shown = cases;
              say(`  … ${cases} / ${total} cases`);
            }
          },
        });
        const s = (performance.now() - t0) / 1000;
        say(`evaluation facts rebuilt: ${r.cases} cases, ${r.events} events in ${s.toFixed(1)} s`);
      });
    });

  const user = program.command('user').description('manage user accounts');
  user
    .command('add')
    .description('create a user; prints a one-time password unless --password is given')
    .requiredOption('--username <name>')
    .requiredOption('--name <displayName>', 'display name, e.g. 张三')
    .requiredOption('--role <role>', `one of: ${ROLES.join(', ')}`, (v) => {
      if (!isRole(v)) throw new InvalidArgumentError(`one of: ${ROLES.join(', ')}`);
      return v;
    })
    .option('--division <code>', 'division code (all roles but department staff)')
    .option('--department <code>', 'department code (roles department and handler)')
    .option('--phone <phone>')
    .option('--password <password>')
    .action(async (opts) => {
      await withStore(config(), async (store) => {
        const r = await createUser(
          { db: store.db, actor: systemActor(), meta: cliMeta },
          {
            username: opts.username,
            displayName: opts.name,
            role: opts.role,
            divisionCode: opts.division,
            departmentCode: opts.department,
            phone: opts.phone,
            password: opts.password,
          },
        );
        say(`created user ${r.user.username} (id ${r.user.id}, ${r.user.role})`);
        if (r.temporaryPassword)
          say(`one-time password (must be changed at first login): ${r.temporaryPassword}`);
      });
    });
  user
    .command('reset-password <username>')
    .description('set a new password (or print a one-time one), clear lockout, end sessions')
    .option('--password <password>')
    .action(async (username: string, opts: { password?: string }) => {
      await withStore(config(), async (store) => {
        const row = await store.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', username.toLowerCase())
          .executeTakeFirst();
        if (!row) throw new AppError('NOT_FOUND', { details: { username } });
        const r = await resetPassword(
          { db: store.db, actor: systemActor(), meta: cliMeta },
          row.id,
          opts.password,
        );
        say(`password of ${username} reset`);
        if ('temporaryPassword' in r)
          say(`one-time password (must be changed at first login): ${r.temporaryPassword}`);
      });
    });
  const simulate = program.command('simulate').description('simulated traffic for demos and benchmarks');
  simulate
    .command('sensors')
    .description(
      'devices on manhole covers publishing heartbeats/readings (and a storm) to the broker (MQTT_URL)',
    )
    .requiredOption(
      '--devices <n>',
      'number of devices (registered on the first covers once)',
      positiveInt('--devices'),
    )
    .option('--rounds <n>', 'heartbeat rounds', positiveInt('--rounds'), 1)
    .option('--storm', 'a rainstorm: 10 % of the covers alarm within --storm-seconds')
    .option('--storm-seconds <n>', 'storm window', positiveInt('--storm-seconds'), 60)
    .option('--url <url>', 'broker URL (default: MQTT_URL, else mqtt://127.0.0.1:<MQTT_EMBEDDED_PORT>)')
    .action(
      async (opts: {
        devices: number;
        rounds: number;
        storm?: boolean;
        stormSeconds: number;
        url?: string;
      }) => {
        const c = config();
        const devices = await withStore(c, (store) => registerSimDevices(store.db, opts.devices));
        if (devices.length < opts.devices) say(`only ${devices.length} covers to put devices on`);
        const url = opts.url ?? c.iot.mqttUrl ?? `mqtt://127.0.0.1:${c.iot.embeddedPort}`;
        const r = await publishTraffic({
          url,
          prefix: c.iot.topicPrefix,
          devices,
          rounds: opts.rounds,
          storm: opts.storm === true,
          stormSeconds: opts.stormSeconds,
          say,
        });
        say(`published ${r.published} messages to ${url} (${r.alarms} storm alarms)`);
      },
    );
  return program;
}

export async function main(argv: string[]) {
  let config: Config | undefined;
  const lazyConfig = () => {
    config ??= loadConfig();
    return config;
  };
  try {
    await buildCli(lazyConfig).parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
    } else if (config && startupProblem(err, config)) {
      process.stderr.write(`CityLoop: ${startupProblem(err, config)}\n`);
    } else if (err instanceof AppError) {
      process.stderr.write(`error ${err.code}: ${err.messages.zh} / ${err.messages.en}\n`);
      if (err.details) process.stderr.write(`${JSON.stringify(err.details)}\n`);
    } else {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = 1;
  }
}
