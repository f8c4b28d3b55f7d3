-- Reverse of 0009_user_sessions: drops the signed-in devices table (its policies and grants go with it). Sessions
-- issued while it existed carry a session id the previous version ignores; they keep working until they expire
-- or the user's session version is bumped.
DROP TABLE "user_sessions";
