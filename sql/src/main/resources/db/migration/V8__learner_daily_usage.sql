-- A learner's usage of the current UTC day, against the daily quota of events and bytes (issue 9;
-- huddle_api.charge_daily_quota, R__api_05_daily_quota.sql). One row per learner, holding the day it
-- counts: the first request of a new day starts the counts again, so the table never holds more rows than
-- there are learners and needs no retention.
--
-- It is charged in the same statement and transaction as the batch procedure it guards, so a refused
-- request writes nothing and the quota costs no round trip of its own (it used to be a second DynamoDB
-- write per request, docs/PERFORMANCE.md).
CREATE TABLE huddle.learner_daily_usage (
    user_id text COLLATE "C" PRIMARY KEY,
    day     date    NOT NULL,
    events  integer NOT NULL CHECK (events >= 0),
    bytes   bigint  NOT NULL CHECK (bytes >= 0)
);

COMMENT ON TABLE huddle.learner_daily_usage IS
    'Events and request bytes a learner sent on day (UTC), against the daily quota (huddle_api.charge_daily_quota).';
