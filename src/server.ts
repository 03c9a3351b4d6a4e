import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildApp } from './app.js';
import { ROLE_NAMES } from './domain/access/permissions.js';
import { DEMO_LOGINS, DEMO_PASSWORD, type DemoRole, generateDemoCity } from './domain/demo-city/index.js';
import { DEFAULT_TEMPLATE_CACHE, ensureTemplate } from './embedded-template.js';
import { startFraudScanner } from './modules/antifraud/scan.js';
import { seedOfficialDays } from './modules/calendar/official-days.js';
import { startSweeper } from './modules/cases/sweeper.js';
import { type DemoRunner, startDemo } from './modules/demo/runner.js';
import { clearEvaluationCache } from './modules/evaluation/cache.js';
import { rebuildAllFacts } from './modules/evaluation/facts/rebuild.js';
import { startIot } from './modules/iot/runner.js';
import type { Config } from './platform/config.js';
import { migrate } from './platform/db/migrate.js';
import { openStore, pgliteDirOf, type Store } from './platform/db/store.js';
import { webIndexOf } from './platform/http/web.js';
import { ensureWebBuilt } from './platform/web-build.js';
import { seedCatalog } from './seed/catalog.js';
import { isSeeded, seedDemoCity } from './seed/demo-city.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Opens the store, brings the schema up to date and seeds the demo city into an empty database. */
export async function prepareStore(config: Config): Promise<{ store: Store; seeded: boolean }> {
  say(
    config.databaseUrl
      ? 'CityLoop: connecting to PostgreSQL…'
      : `CityLoop: opening embedded store in ${config.dataDir}…`,
  );
  // A new embedded data directory starts as a copy of this version's seeded template.
  const template =
    !config.databaseUrl &&
    config.demoSeed &&
    config.embeddedTemplateDir !== null &&
    !fs.existsSync(pgliteDirOf(config.dataDir))
      ? await ensureTemplate(config.embeddedTemplateDir ?? DEFAULT_TEMPLATE_CACHE, (line) =>
          say(`CityLoop: ${line}`),
        )
      : null;
  const store = await openStore(config, (line) => say(`CityLoop: ${line}`), { template });
  if (template) say(`CityLoop: demo city copied from the prepared template (${path.basename(template)})`);
  try {
    const applied = await migrate(store);
    if (applied.length) say(`CityLoop: applied migrations ${applied.join(', ')}`);
    // A database that had cases before the evaluation facts existed gets them from its log once.
    if (applied.includes('0024_evaluation_facts')) {
      const r = await rebuildAllFacts(store.db);
      if (r.cases > 0)
        say(`CityLoop: evaluation facts built from the log — ${r.cases} cases, ${r.events} events`);
    }
    // The national catalog is needed by every city, demo or not (no-op once present).
    await seedCatalog(store.db);
    await seedOfficialDays(store.db);
    // Cached evaluation counts were made by the code that ran before; this code may count
    // differently (migrations/0016_evaluation_cache.sql).
    await clearEvaluationCache(store.db);
    let seeded = false;
    if (config.demoSeed && !(await isSeeded(store.db))) {
      say('CityLoop: seeding the demo city (first start)…');
      const city = await seedDemoCity(store);
      say(
        `CityLoop: demo city ready — ${city.divisions.length} divisions, ${city.grids.length} unit grids, ${city.departments.length} departments`,
      );
      seeded = true;
    }
    return { store, seeded };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** The banner, written in one piece so that no log line lands inside it. */
function printBanner(url: string, config: Config, demo: DemoRunner | null) {
  const lines: string[] = [];
  const say = (line: string) => lines.push(line);
  say('');
  say(`CityLoop is running: ${url}`);
  say(`  Console:   ${webIndexOf(config.webDir) ? url : '(not built — see the log above)'}`);
  say(`  API docs:  ${url}/api/docs`);
  say(`  Health:    ${url}/api/health`);
  if (config.demoSeed) {
    say(`  Demo logins (password for all: ${DEMO_PASSWORD}):`);
    const users = generateDemoCity().users;
    const logins: readonly string[] = DEMO_LOGINS;
    for (const u of users.filter((x) => logins.includes(x.username))) {
      say(
        `    ${u.username.padEnd(12)} ${ROLE_NAMES[u.role].zh} (${ROLE_NAMES[u.role].en}) — ${u.displayName}`,
      );
    }
    // The rest of the staff (dozens of supervisors …) only as counts per post, with a sample login.
    const staff = new Map<DemoRole, string[]>();
    for (const u of users.filter((x) => !logins.includes(x.username)))
      staff.set(u.role, [...(staff.get(u.role) ?? []), u.username]);
    if (staff.size > 0) {
      const posts = [...staff].map(
        ([role, names]) => `${names.length} ${ROLE_NAMES[role].zh} (${names[0]} …)`,
      );
      say(
        `    + ${users.length - logins.length} more staff, same password (${users.length} accounts in all):`,
      );
      say(`      ${posts.join(', ')}`);
    }
    const plan = demo?.plan;
    if (plan && !plan.finishedAt)
      say(
        `  Demo history: ${plan.days} days up to now (about ${(plan.days * plan.casesPerDay).toLocaleString('en')} cases), written in the background — progress below and in the console`,
      );
    else if (plan) say(`  Demo history: ${plan.days} days from ${plan.firstDay}`);
    say(
      config.demo.live
        ? '  Live simulation: supervisors on patrol, new reports, staff at work (DEMO_LIVE=false to turn off)'
        : '  Live simulation: off (DEMO_LIVE=false)',
    );
  }
  say('Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Fails at once, before the database is opened (a first embedded start takes a while), when
 * the port is taken: the same EADDRINUSE the listener would give a minute later.
 */
async function checkPortFree(config: Config): Promise<void> {
  if (config.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port: config.port, host: config.host, exclusive: true }, () =>
      probe.close(() => resolve()),
    );
  });
}

export async function startServer(config: Config) {
  const t0 = performance.now();
  await checkPortFree(config);
  if (config.webBuild) {
    // A console that fails to build must not keep the API (and field apps) down.
    await ensureWebBuilt(config.webDir, say).catch((err: Error) =>
      say(`CityLoop: web console build failed, serving the API only: ${err.message}`),
    );
  }
  const { store } = await prepareStore(config);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    app = await buildApp({ store, config });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // E.g. EADDRINUSE: release the database so the process ends now instead of lingering
    // on open connections.
    await app?.close().catch(() => {});
    await store.close().catch(() => {});
    throw err;
  }
  const server = app;
  const stopSweeper = startSweeper(store, 60_000, (err) =>
    server.log.error({ err }, 'time-limit sweep failed'),
  );
  // Anti-fraud flags of new supervisor reports, judged off the request path (issue 17).
  const stopFraudScanner = startFraudScanner(store.db, { dataDir: config.dataDir }, (err) =>
    server.log.error({ err }, 'anti-fraud scan failed'),
  );
  // The living demo (demo mode only): history in the background, then the live simulation.
  const demo = await startDemo(store, config, {
    say,
    logError: (message, err) => server.log.error({ err }, message),
  });
  // Sensors over MQTT (issue 15): a broker that is down must not keep the rest of the product down.
  const iot = await startIot(store, config.iot, (message, err) => server.log.error({ err }, message)).catch(
    (err: Error) => {
      say(`CityLoop: sensors (MQTT) not started: ${err.message}`);
      return null;
    },
  );
  if (iot)
    say(
      `CityLoop: sensors over MQTT at ${iot.brokerUrl}${iot.embedded ? ' (embedded broker)' : ''}, topics ${config.iot.topicPrefix}/devices/<id>/json|frame`,
    );
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'shutting down');
    // Stop accepting, let in-flight requests and a running sweep finish, then release the database.
    await demo?.stop();
    await iot?.stop();
    await stopSweeper();
    await stopFraudScanner();
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  printBanner(`http://${host}:${port}`, config, demo);
  say(`CityLoop: started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { app, store };
}
