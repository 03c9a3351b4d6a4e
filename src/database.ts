/**
 * The application's database type: the platform's core tables plus every module's tables.
 * Composed here, above the modules, by declaration merging into the platform's `Database`
 * interface, so that `src/platform` imports no module while every `Kysely<Database>` still
 * sees all tables. A new module's tables are added to this one list.
 */
import type { AntifraudTables } from './modules/antifraud/tables.js';
import type { CameraTables } from './modules/camera/tables.js';
import type { CaseTables } from './modules/cases/tables.js';
import type { CatalogTables } from './modules/catalog/tables.js';
import type { CollabTables } from './modules/collab/tables.js';
import type { CollectionTables } from './modules/collection/tables.js';
import type { ComponentTables } from './modules/component/tables.js';
import type { CoverTables } from './modules/covers/tables.js';
import type { DemoTables } from './modules/demo/tables.js';
import type { DispatchTables } from './modules/dispatch/tables.js';
import type { EvaluationFactTables } from './modules/evaluation/facts/tables.js';
import type { EvaluationTables } from './modules/evaluation/tables.js';
import type { ForecastTables } from './modules/forecast/tables.js';
import type { GazetteerTables } from './modules/geocode/tables.js';
import type { GridTables } from './modules/grid/tables.js';
import type { HotlineTables } from './modules/hotline/tables.js';
import type { IotTables } from './modules/iot/tables.js';
import type { Open311Tables } from './modules/open311/tables.js';
import type { OutboundTables } from './modules/outbound/tables.js';
import type { PatrolTables } from './modules/patrol/tables.js';
import type { PublicTables } from './modules/public/tables.js';
import type { ReportTables } from './modules/report/tables.js';

declare module './platform/db/schema.js' {
  interface Database
    extends CatalogTables,
      GridTables,
      ComponentTables,
      GazetteerTables,
      CaseTables,
      DispatchTables,
      CollabTables,
      PatrolTables,
      PublicTables,
      EvaluationTables,
      EvaluationFactTables,
      CollectionTables,
      DemoTables,
      HotlineTables,
      CameraTables,
      Open311Tables,
      OutboundTables,
      IotTables,
      ReportTables,
      ForecastTables,
      CoverTables,
      AntifraudTables {}
}
