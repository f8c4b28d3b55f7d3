-- One round trip to enter a tenant: sets the restaurant and the app_user role transaction-locally (as
-- db/scope.ts withTenant does) and answers, read under row-level security as app_user, what every tenant call
-- checks first: the restaurant's settings, the user's state (active, session version, platform admin) and their
-- membership there with its departments. Before it, a call paid three round trips for this (set, actor, restaurant).
-- SECURITY INVOKER (the default): the connecting role switches to app_user itself, so the reads below are the
-- tenant's, exactly as the statements that follow in the same transaction.
CREATE OR REPLACE FUNCTION "app_enter_tenant"(p_restaurant uuid, p_user uuid) RETURNS json
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
                   FROM memberships m WHERE m.user_id = p_user)
  ) INTO result;
  RETURN result;
END
$$;
