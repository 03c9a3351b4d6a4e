-- 核查须拍照: a class's standard may require the supervisor's 核查 (pass or fail) to carry photos
-- of the site. Existing rows ask for none, so nothing changes for a city until its admins say so
-- (standards editor or the xlsx column 核查须拍照).
ALTER TABLE category_standards ADD COLUMN check_photos boolean NOT NULL DEFAULT false;

-- Rows derived for GB/T 47678.5 classes (migration 0022's function, run by the seed and for new
-- drafts) take the flag from the class they were derived from; rows from a default profile ask
-- for photos where the class is a 部件, as the seeded 30428.2 standards do.
ALTER FUNCTION catalog_derive_gbt47678(integer) RENAME TO catalog_derive_gbt47678_rows;

CREATE FUNCTION catalog_derive_gbt47678(p_version integer) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  n integer;
BEGIN
  n := catalog_derive_gbt47678_rows(p_version);
  UPDATE category_standards t
  SET check_photos = s.check_photos
  FROM categories sc
  JOIN category_standards s ON s.category_id = sc.id
  WHERE t.version_id = p_version
    AND t.derived_from IS NOT NULL
    AND t.derived_from ->> 'rule' <> 'default'
    AND s.version_id = p_version
    AND sc.scheme = 'gbt30428'
    AND sc.kind = t.derived_from -> 'sources' -> 0 ->> 'kind'
    AND sc.code = t.derived_from ->> 'chosen';
  UPDATE category_standards t
  SET check_photos = (c.kind = 'component')
  FROM categories c
  WHERE t.version_id = p_version
    AND t.derived_from ->> 'rule' = 'default'
    AND c.id = t.category_id;
  RETURN n;
END
$fn$;
