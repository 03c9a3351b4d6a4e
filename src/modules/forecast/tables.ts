/** Forecast tables (migrations/0043_forecasts.sql). */
import type { ColumnType, Generated } from 'kysely';
import type { ForecastMethod, ForecastReason } from '../../domain/forecast/analyse.js';
import type { Errors } from '../../domain/forecast/backtest.js';

type DateText = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

export interface ForecastSeriesTable {
  category_key: string;
  area_code: string;
  as_of: DateText;
  computed_at: ColumnType<Date, Date | undefined, Date>;
  method: ForecastMethod;
  reason: ForecastReason;
  mean_per_day: number;
  backtest: Json<{ model: Errors | null; baseline: Errors | null; origins: number; horizon: number }>;
  weeks: Json<{ from: string; point: number; lower: number; upper: number }[]>;
}

export interface ForecastBandsTable {
  category_key: string;
  area_code: string;
  day: DateText;
  method: ForecastMethod;
  point: number;
  lower: number;
  upper: number;
}

export interface ForecastAlertsTable {
  id: Generated<string>;
  category_key: string;
  area_code: string;
  day: DateText;
  actual: number;
  expected: number;
  upper: number;
  method: ForecastMethod;
  case_ids: ColumnType<string[], string[], string[]>;
  notified: ColumnType<number, number | undefined, number>;
  created_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ForecastTables {
  forecast_series: ForecastSeriesTable;
  forecast_bands: ForecastBandsTable;
  forecast_alerts: ForecastAlertsTable;
}
