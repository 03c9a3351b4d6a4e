-- Outsourced information collection (信息采集外包, domain.md §5): the companies a city contracts
-- to patrol and report, their teams, and which supervisor (监督员) works in which team. The
-- evaluation scores teams and companies on their members' supervisor indicators plus patrol
-- time coverage against the contract's daily hours.

CREATE TABLE collection_companies (
  code                 text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$'),
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Hours on duty (在岗) per supervisor and working day the contract asks for.
  contract_daily_hours numeric(4, 2) NOT NULL CHECK (contract_daily_hours > 0 AND contract_daily_hours <= 24),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE collection_teams (
  code         text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$'),
  company_code text NOT NULL REFERENCES collection_companies (code),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX collection_teams_company_idx ON collection_teams (company_code);

-- A supervisor works in at most one team (the key); moving him replaces his row.
CREATE TABLE collection_team_members (
  user_id   integer PRIMARY KEY REFERENCES users (id),
  team_code text NOT NULL REFERENCES collection_teams (code),
  since     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX collection_team_members_team_idx ON collection_team_members (team_code);

-- Schemes may now be written for the two new subject types.
ALTER TABLE evaluation_schemes DROP CONSTRAINT evaluation_schemes_subject_type_check;
ALTER TABLE evaluation_schemes ADD CONSTRAINT evaluation_schemes_subject_type_check
  CHECK (subject_type IN ('department', 'supervisor', 'intake', 'shift_leader', 'dispatcher', 'grid',
                          'community', 'street', 'district', 'collection_team', 'collection_company'));
