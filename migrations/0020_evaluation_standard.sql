-- Evaluation against GB/T 30428.4 (issue 11).
--
-- 1. The district's 数字城管中心 becomes a subject of the evaluation ('center'): schemes may be
--    written for it.
ALTER TABLE evaluation_schemes DROP CONSTRAINT evaluation_schemes_subject_type_check;
ALTER TABLE evaluation_schemes ADD CONSTRAINT evaluation_schemes_subject_type_check
  CHECK (subject_type IN ('department', 'supervisor', 'intake', 'shift_leader', 'dispatcher', 'grid',
                          'community', 'street', 'district', 'collection_team', 'collection_company',
                          'center'));

-- 2. Corrected 立案数分值 bands of the shipped national schemes, as a NEW version of each: the
--    department bands were inverted (more cases scored higher), and the four region levels shared
--    one band set (every grid scored 100, busy districts 0). Versions are never edited (the
--    frozen trigger of 0013), so a publication scored with the old version still explains itself.
--
--    The new version copies the scheme's latest version and replaces only the count indicator's
--    bands, and only when that indicator still carries the shipped wrong bands: weights or grades
--    a city changed are kept, and bands a city already set itself are left alone. A database that
--    never wrote the shipped schemes gets nothing here: it writes the corrected definitions
--    (src/domain/evaluation/schemes.ts) as their first version on first use.
WITH fix (scheme_id, key, old_bands, patch, note) AS (VALUES
  ('national-department', 'caseCount',
   '[{"min":501,"score":100},{"min":201,"max":500,"score":90},{"min":101,"max":200,"score":75},{"min":51,"max":100,"score":60},{"min":1,"max":50,"score":40}]',
   '{"bands":[{"min":0,"max":50,"score":100},{"min":51,"max":100,"score":90},{"min":101,"max":200,"score":75},{"min":201,"max":500,"score":60},{"min":501,"max":999,"score":40},{"min":1000,"score":0}]}',
   '国标修正（迁移 0020）：立案数分值改为案件越少得分越高（0–50 件 100 分 … 1000 件及以上 0 分）；原版本误将多者记高分。'),
  ('national-grid', 'filedCount',
   '[{"min":0,"max":50,"score":100},{"min":51,"max":100,"score":90},{"min":101,"max":200,"score":75},{"min":201,"max":400,"score":60},{"min":401,"max":800,"score":40}]',
   '{"bands":[{"min":0,"max":1,"score":100},{"min":2,"max":3,"score":90},{"min":4,"max":6,"score":75},{"min":7,"max":9,"score":60},{"min":10,"max":12,"score":40},{"min":13,"score":0}],"areaClassBands":{"A":[{"min":0,"max":0,"score":100},{"min":1,"max":2,"score":90},{"min":3,"max":4,"score":75},{"min":5,"max":6,"score":60},{"min":7,"max":8,"score":40},{"min":9,"score":0}],"B":[{"min":0,"max":1,"score":100},{"min":2,"max":3,"score":90},{"min":4,"max":6,"score":75},{"min":7,"max":9,"score":60},{"min":10,"max":12,"score":40},{"min":13,"score":0}]}}',
   '国标修正（迁移 0020）：单元网格立案数分值按本层级和区域类别（一类/二类）分档，案件越少得分越高；原版本各层级共用一套分档。'),
  ('national-community', 'filedCount',
   '[{"min":0,"max":50,"score":100},{"min":51,"max":100,"score":90},{"min":101,"max":200,"score":75},{"min":201,"max":400,"score":60},{"min":401,"max":800,"score":40}]',
   '{"bands":[{"min":0,"max":8,"score":100},{"min":9,"max":15,"score":90},{"min":16,"max":30,"score":75},{"min":31,"max":45,"score":60},{"min":46,"max":60,"score":40},{"min":61,"score":0}],"areaClassBands":{"A":[{"min":0,"max":5,"score":100},{"min":6,"max":10,"score":90},{"min":11,"max":20,"score":75},{"min":21,"max":30,"score":60},{"min":31,"max":40,"score":40},{"min":41,"score":0}],"B":[{"min":0,"max":8,"score":100},{"min":9,"max":15,"score":90},{"min":16,"max":30,"score":75},{"min":31,"max":45,"score":60},{"min":46,"max":60,"score":40},{"min":61,"score":0}]}}',
   '国标修正（迁移 0020）：社区立案数分值按本层级和区域类别（一类/二类）分档，案件越少得分越高；原版本各层级共用一套分档。'),
  ('national-street', 'filedCount',
   '[{"min":0,"max":50,"score":100},{"min":51,"max":100,"score":90},{"min":101,"max":200,"score":75},{"min":201,"max":400,"score":60},{"min":401,"max":800,"score":40}]',
   '{"bands":[{"min":0,"max":75,"score":100},{"min":76,"max":150,"score":90},{"min":151,"max":300,"score":75},{"min":301,"max":450,"score":60},{"min":451,"max":600,"score":40},{"min":601,"score":0}],"areaClassBands":{"A":[{"min":0,"max":50,"score":100},{"min":51,"max":100,"score":90},{"min":101,"max":200,"score":75},{"min":201,"max":300,"score":60},{"min":301,"max":400,"score":40},{"min":401,"score":0}],"B":[{"min":0,"max":75,"score":100},{"min":76,"max":150,"score":90},{"min":151,"max":300,"score":75},{"min":301,"max":450,"score":60},{"min":451,"max":600,"score":40},{"min":601,"score":0}]}}',
   '国标修正（迁移 0020）：街道立案数分值按本层级和区域类别（一类/二类）分档，案件越少得分越高；原版本各层级共用一套分档。'),
  ('national-district', 'filedCount',
   '[{"min":0,"max":50,"score":100},{"min":51,"max":100,"score":90},{"min":101,"max":200,"score":75},{"min":201,"max":400,"score":60},{"min":401,"max":800,"score":40}]',
   '{"bands":[{"min":0,"max":450,"score":100},{"min":451,"max":900,"score":90},{"min":901,"max":1800,"score":75},{"min":1801,"max":2700,"score":60},{"min":2701,"max":3600,"score":40},{"min":3601,"score":0}],"areaClassBands":{"A":[{"min":0,"max":300,"score":100},{"min":301,"max":600,"score":90},{"min":601,"max":1200,"score":75},{"min":1201,"max":1800,"score":60},{"min":1801,"max":2400,"score":40},{"min":2401,"score":0}],"B":[{"min":0,"max":450,"score":100},{"min":451,"max":900,"score":90},{"min":901,"max":1800,"score":75},{"min":1801,"max":2700,"score":60},{"min":2701,"max":3600,"score":40},{"min":3601,"score":0}]}}',
   '国标修正（迁移 0020）：区县立案数分值按本层级和区域类别（一类/二类）分档，案件越少得分越高；原版本各层级共用一套分档。')
),
latest AS (
  SELECT DISTINCT ON (v.scheme_id) v.scheme_id, v.version, v.name_zh, v.name_en, v.indicators, v.grades
  FROM evaluation_scheme_versions v JOIN fix f ON f.scheme_id = v.scheme_id
  ORDER BY v.scheme_id, v.version DESC
)
INSERT INTO evaluation_scheme_versions (scheme_id, version, name_zh, name_en, indicators, grades, note, created_by)
SELECT l.scheme_id, l.version + 1, l.name_zh, l.name_en,
       (SELECT jsonb_agg(CASE WHEN x.e ->> 'key' = f.key AND x.e -> 'bands' = f.old_bands::jsonb
                              THEN x.e || f.patch::jsonb ELSE x.e END ORDER BY x.n)
          FROM jsonb_array_elements(l.indicators) WITH ORDINALITY AS x(e, n)),
       l.grades, f.note, NULL
FROM latest l JOIN fix f ON f.scheme_id = l.scheme_id
WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(l.indicators) AS y(e)
              WHERE y.e ->> 'key' = f.key AND y.e -> 'bands' = f.old_bands::jsonb);
