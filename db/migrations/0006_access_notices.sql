-- Credentials that die or change are announced on `foreman_access`, whatever path
-- changed them (routes, `npm run admin`, better-auth's sign-out, cascades), so every
-- web node re-checks the sockets they opened (lib/realtime/socket-access.ts).
-- The payload names what changed; it is a reason to look, never a verdict.
CREATE FUNCTION foreman_access_notice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    PERFORM pg_notify('foreman_access', json_build_object('userId', OLD.user_id)::text);
  ELSIF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('foreman_access', json_build_object('userId', OLD.id)::text);
  ELSIF TG_TABLE_NAME = 'api_tokens' THEN
    PERFORM pg_notify('foreman_access', json_build_object('tokenId', OLD.id, 'userId', OLD.user_id)::text);
  ELSIF TG_TABLE_NAME = 'share_links' THEN
    PERFORM pg_notify('foreman_access', json_build_object('shareLinkId', OLD.id)::text);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER sessions_access_notice AFTER DELETE ON "sessions"
  FOR EACH ROW EXECUTE FUNCTION foreman_access_notice();
--> statement-breakpoint
CREATE TRIGGER users_access_notice AFTER DELETE OR UPDATE OF "role" ON "users"
  FOR EACH ROW EXECUTE FUNCTION foreman_access_notice();
--> statement-breakpoint
CREATE TRIGGER api_tokens_access_notice AFTER DELETE OR UPDATE OF "revoked_at" ON "api_tokens"
  FOR EACH ROW EXECUTE FUNCTION foreman_access_notice();
--> statement-breakpoint
CREATE TRIGGER share_links_access_notice AFTER DELETE OR UPDATE OF "revoked_at", "expires_at" ON "share_links"
  FOR EACH ROW EXECUTE FUNCTION foreman_access_notice();
--> statement-breakpoint
-- A setup link creates the first account only: any account, made by any path, ends it.
CREATE FUNCTION foreman_end_setup_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM access_links WHERE kind = 'setup';
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER users_end_setup_links AFTER INSERT ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION foreman_end_setup_links();
