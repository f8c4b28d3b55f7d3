-- Entering a tenant also checks the recorded session (user_sessions, migration 0009), in the same round trip:
-- before, a tenant call paid one more statement for it after app_enter_tenant. Read as app_user under the tenant's
-- policies (a member's sessions only, the columns app_user may read), exactly as that statement was.
-- app_enter_tenant(restaurant, user, session): what 0007's two-argument version answers plus 'session'.
-- app_tenant_session(restaurant, user, session): the access-cache hit path (the access itself came from the
-- cache): sets the tenant and role and answers only the session.
-- The two-argument app_enter_tenant stays for the app before this migration (dropped in a later contract step).
CREATE OR REPLACE FUNCTION "app_enter_tenant"(p_restaurant uuid, p_user uuid, p_session uuid) RETURNS json
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  result json;
BEGIN
  PERFORM set_config('app.tenant_id', p_restaurant::text, true), set_config('role', 'app_user', true);
  SELECT json_build_object(
    'restaurant', (SELECT json_build_object('id', r.id, 'name', r.name, 'currency', r.currency, 'timezone', r.timezone, 'locale', r.locale)
                   FROM restaurants r WHERE r.id = p_restaurant),
    'user', (SELECT json_build_object('isActive', u.is_active, 'sessionVersion', u.session_version, 'isPlatformAdmin', u.is_platform_admin)
             FROM users u WHERE u.id = p_user),
    'membership', (SELECT json_build_object('membershipId', m.id, 'role', m.role, 'canSend', m.can_send, 'canReceive', m.can_receive,
                          'isActive', m.is_active,
                          'departmentIds', coalesce((SELECT json_agg(md.department_id) FROM membership_departments md WHERE md.membership_id = m.id), '[]'::json))
                   FROM memberships m WHERE m.user_id = p_user),
    'session', (SELECT json_build_object('sessionId', s.id, 'revokedAt', s.revoked_at, 'lastSeenAt', s.last_seen_at)
                FROM user_sessions s WHERE s.id = p_session AND s.user_id = p_user)
  ) INTO result;
  RETURN result;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "app_tenant_session"(p_restaurant uuid, p_user uuid, p_session uuid) RETURNS json
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  result json;
BEGIN
  PERFORM set_config('app.tenant_id', p_restaurant::text, true), set_config('role', 'app_user', true);
  SELECT json_build_object('sessionId', s.id, 'revokedAt', s.revoked_at, 'lastSeenAt', s.last_seen_at) INTO result
  FROM user_sessions s WHERE s.id = p_session AND s.user_id = p_user;
  RETURN result;
END
$$;
