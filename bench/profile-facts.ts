/** Per subject type, the time of the facts statement and its slowest plan nodes (EXPLAIN ANALYZE). */
import { sql } from 'kysely';
import { SUBJECT_TYPES, type SubjectType } from '../src/domain/evaluation/index.js';
import { factsQueryOf } from '../src/modules/evaluation/facts/compute.js';
import { evaluateFacts, factsStatement } from '../src/modules/evaluation/facts/evaluate-sql.js';
import { periodOf } from '../src/modules/evaluation/period.js';
import { loadReference } from '../src/modules/evaluation/repo.js';
import { openPostgres } from '../src/platform/db/store.js';

const store = await openPostgres(`postgres://postgres@127.0.0.1:5432/${process.argv[2]}`);
const kind = (process.argv[3] ?? 'year') as 'year' | 'month';
const p = periodOf(kind, process.env.FROM ?? (kind === 'year' ? '2026-01-01' : '2026-06-01'));
const ref = await loadReference(store.db);
const types = (process.argv[4] ? process.argv[4].split(',') : SUBJECT_TYPES) as SubjectType[];
const groups: SubjectType[][] = process.env.ALL ? [types] : types.map((t) => [t]);
for (const t of groups) {
  const fq = factsQueryOf({ from: p.from, to: p.to, filters: {}, gridPrefix: '', types: t, ref });
  const { prepare, statements } = factsStatement(fq, t);
  if (!process.env.PLAN) {
    const t0 = performance.now();
    await evaluateFacts(store.db, fq, t);
    process.stdout.write(`=== ${t}: ${(performance.now() - t0).toFixed(0)} ms (as the server runs it)\n`);
    continue;
  }
  const t0 = performance.now();
  const r = await store.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL jit = off`.execute(trx);
    await sql`SET LOCAL work_mem = '128MB'`.execute(trx);
    const out: { 'QUERY PLAN': string }[] = [];
    for (const st of [...prepare, ...statements]) {
      const text = st.compile(trx).sql;
      if (text.startsWith('ANALYZE')) await st.execute(trx);
      else
        out.push(
          { 'QUERY PLAN': `--- ${text.slice(0, 60).replace(/\s+/g, ' ')}` },
          ...(await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, COSTS OFF) ${st}`.execute(trx)).rows,
        );
    }
    return { rows: out };
  });
  const ms = performance.now() - t0;
  process.stdout.write(`\n=== ${t}: ${ms.toFixed(0)} ms\n`);
  if (process.env.PLAN) for (const row of r.rows) process.stdout.write(`${row['QUERY PLAN']}\n`);
}
await store.close();
