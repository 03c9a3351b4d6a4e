import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, toCsv } from './csv.js';
import { columnKeyOf, isCalendarDate, parseComponentRecord } from './record.js';
import { parseState } from './states.js';

const valid = {
  name: '上水井盖',
  category: '0101',
  lng: '104.05',
  lat: '30.66',
} as const;

describe('parseComponentRecord', () => {
  it('turns a minimal row into an input with defaults', () => {
    expect(parseComponentRecord(2, valid)).toEqual({
      input: {
        id: undefined,
        categoryCode: '0101',
        divisionCode: undefined,
        name: '上水井盖',
        lng: 104.05,
        lat: 30.66,
        gridCode: undefined,
        managingDepartment: undefined,
        owningDepartment: undefined,
        maintainingDepartment: undefined,
        state: 'intact',
        startDate: undefined,
        changeDate: undefined,
        dataSource: undefined,
        accuracyClass: undefined,
        note: undefined,
      },
      errors: [],
    });
  });

  it('takes numbers, Chinese state labels, lower-case accuracy and sheet dates', () => {
    const r = parseComponentRecord(3, {
      ...valid,
      id: 5101040101000001,
      lng: 104.05,
      state: '破损',
      accuracy: 'a',
      startDate: new Date(Date.UTC(2020, 4, 6)),
      changeDate: '2021-01-02',
      owning: ' GS ',
    });
    expect(r.errors).toEqual([]);
    expect(r.input).toMatchObject({
      id: '5101040101000001',
      state: 'damaged',
      accuracyClass: 'A',
      startDate: '2020-05-06',
      changeDate: '2021-01-02',
      owningDepartment: 'GS',
    });
  });

  it('names the row and the field of every problem, in Chinese and English', () => {
    const r = parseComponentRecord(7, {
      id: '12345',
      name: '',
      lng: 'east',
      lat: '91',
      state: '坏了',
      startDate: '2021-02-30',
      accuracy: 'D',
      grid: '5101',
    });
    expect(r.input).toBeNull();
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e]));
    expect(Object.keys(byField).sort()).toEqual([
      'accuracy',
      'grid',
      'id',
      'lat',
      'lng',
      'name',
      'startDate',
      'state',
    ]);
    for (const e of r.errors) {
      expect(e.row).toBe(7);
      expect(e.message.zh).toMatch(/^第 7 行「/);
      expect(e.message.en).toMatch(new RegExp(`^Row 7, ${e.field}: `));
    }
    expect(byField.id?.code).toBe('COMPONENT_CODE_FORMAT');
    expect(byField.grid?.code).toBe('COMPONENT_GRID_INVALID');
    expect(byField.lng?.message).toEqual({
      zh: '第 7 行「经度 lng」：应为 -180 到 180 之间的数字（WGS84 度）',
      en: 'Row 7, lng: must be a number from -180 to 180 (WGS84 degrees)',
    });
    expect(byField.startDate?.message.en).toBe('Row 7, startDate: must be a date as YYYY-MM-DD');
    expect(byField.state?.code).toBe('COMPONENT_FIELD_INVALID');
  });

  it('needs a class when no id is given, and a city or district division', () => {
    const r = parseComponentRecord(2, { name: 'x', lng: 104, lat: 30, division: '510104001' });
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([
      ['category', 'COMPONENT_FIELD_INVALID'],
      ['division', 'DIVISION_INVALID'],
    ]);
  });

  it('refuses ids that a spreadsheet number cell has already rounded', () => {
    const r = parseComponentRecord(4, { ...valid, id: Number('51010401001000042') });
    expect(r.errors[0]?.field).toBe('id');
    expect(r.errors[0]?.message.en).toMatch(/store the column as text/);
  });

  it('refuses a change date before the start date and over-long text', () => {
    const r = parseComponentRecord(2, {
      ...valid,
      startDate: '2022-01-01',
      changeDate: '2021-12-31',
      note: '长'.repeat(501),
    });
    expect(r.errors.map((e) => e.field)).toEqual(['changeDate', 'note']);
  });
});

describe('columns, states, dates', () => {
  it('accepts English keys and Chinese headers', () => {
    expect(columnKeyOf('经度')).toBe('lng');
    expect(columnKeyOf(' LNG ')).toBe('lng');
    expect(columnKeyOf('权属单位')).toBe('owning');
    expect(columnKeyOf('startdate')).toBe('startDate');
    expect(columnKeyOf('colour')).toBeNull();
  });

  it('parses states by value or label', () => {
    expect(parseState('完好')).toBe('intact');
    expect(parseState('Missing')).toBe('missing');
    expect(parseState('占用')).toBe('occupied');
    expect(parseState('broken')).toBeNull();
  });

  it('knows real calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2023-2-1')).toBe(false);
  });
});

describe('CSV', () => {
  it('reads quotes, doubled quotes, CRLF, a BOM and embedded newlines', () => {
    const text = '\ufeffid,name,note\r\n1,"井盖, 上水","说""明""\n第二行"\r\n2,路灯,\n';
    expect(parseCsv(text)).toEqual([
      ['id', 'name', 'note'],
      ['1', '井盖, 上水', '说"明"\n第二行'],
      ['2', '路灯', ''],
    ]);
  });

  it('reports an unterminated quote with its row', () => {
    expect(() => parseCsv('a,b\n1,"oops\n2,3')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a,b\n1,"oops\n2,3');
    } catch (e) {
      expect((e as CsvSyntaxError).row).toBe(2);
    }
  });

  it('neutralises spreadsheet formulas on export', () => {
    expect(toCsv([['=HYPERLINK("x")', '@a', '-1.5']])).toBe('\ufeff"\'=HYPERLINK(""x"")",\'@a,-1.5\r\n');
  });

  it('round-trips any table of text (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '井', ',', '"', '\n', '\r\n', ' ', '1') });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (rows) => {
          const width = rows[0]?.length ?? 2;
          const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
          // Cells that look like formulas are changed on purpose (see above).
          fc.pre(table.flat().every((c) => !/^[=+@\t\r]/.test(c)));
          expect(parseCsv(toCsv(table))).toEqual(table);
        },
      ),
    );
  });
});
