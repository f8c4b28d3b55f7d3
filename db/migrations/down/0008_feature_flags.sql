-- Reverse of 0008_feature_flags: drops the flags table (the flags set in the admin console are lost; the
-- environment's and the code's defaults apply again).
DROP TABLE IF EXISTS "feature_flags";
