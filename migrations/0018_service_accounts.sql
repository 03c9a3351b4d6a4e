-- Machine clients (cameras, IoT gateways, 12345 bridges, district nodes) act as service accounts:
-- a kind of user that never logs in, holding API keys that carry only the permissions granted to
-- them (a subset of the account's role). Keys issued to people's accounts carried everything the
-- person could do, an administrator's included.
ALTER TABLE users
  ADD COLUMN kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'service'));
UPDATE users SET kind = 'service' WHERE role = 'service';
ALTER TABLE users ADD CONSTRAINT users_service_role_is_service_kind CHECK (role <> 'service' OR kind = 'service');

-- What each key may do; a live key grants at least one permission.
ALTER TABLE api_keys ADD COLUMN permissions text[] NOT NULL DEFAULT '{}';
-- Keys of existing service accounts keep what the service role allowed them until now.
UPDATE api_keys k SET permissions = ARRAY['division.read', 'grid.read', 'catalog.read', 'component.read',
    'geocode.read', 'map.read', 'calendar.read', 'case.read', 'case.report', 'case.act']
  FROM users u WHERE u.id = k.user_id AND u.kind = 'service';
-- Keys issued to people's accounts end here: they were the hole.
UPDATE api_keys k SET revoked_at = now()
  FROM users u WHERE u.id = k.user_id AND u.kind = 'person' AND k.revoked_at IS NULL;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_live_key_grants
  CHECK (revoked_at IS NOT NULL OR cardinality(permissions) > 0);

-- The database refuses a key for a person's account, whoever writes the row.
CREATE FUNCTION api_keys_service_accounts_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id AND kind = 'service') THEN
    RAISE EXCEPTION 'API keys are issued to service accounts only' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER api_keys_service_accounts_only BEFORE INSERT OR UPDATE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION api_keys_service_accounts_only();

-- An account holding live keys stays a service account.
CREATE FUNCTION users_keep_service_kind() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind <> 'service' AND EXISTS (SELECT 1 FROM api_keys WHERE user_id = NEW.id AND revoked_at IS NULL) THEN
    RAISE EXCEPTION 'a service account with live API keys cannot become a person' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER users_keep_service_kind BEFORE UPDATE OF kind ON users
  FOR EACH ROW EXECUTE FUNCTION users_keep_service_kind();
