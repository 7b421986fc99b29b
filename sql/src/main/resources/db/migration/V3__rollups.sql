-- Per-org daily rollups, maintained incrementally by huddle_api.run_rollup_job (R__api_30_rollup.sql).
--
-- The rollup position. A job must read every event exactly once, but ingest transactions commit in any
-- order: a position taken from a sequence (seq) can skip a row whose transaction took its seq early and
-- committed late, after the job had already moved past it. So each event row records the id of the
-- transaction that wrote it (ingest_xid), and a job only reads rows below the snapshot horizon
-- pg_snapshot_xmin(pg_current_snapshot()): every transaction with a smaller xid has finished (committed or
-- rolled back), so the set of visible rows below the horizon can never grow again. The position is
-- (ingest_xid, seq) in that order; seq only orders rows of one transaction.
--
-- Existing rows get the migration's own transaction id (the column default is evaluated per row once,
-- at this ALTER), which puts them all below the horizon once it commits: the first jobs roll them up.

ALTER TABLE huddle.progress_events ADD COLUMN ingest_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE huddle.analytics_events ADD COLUMN ingest_xid xid8 NOT NULL DEFAULT pg_current_xact_id();

-- A job reads one org's rows after its position: one index range scan per daily partition, merged in
-- (ingest_xid, seq) order, stopping after the job's limit. Its cost follows the new rows, not the table.
CREATE INDEX progress_events_rollup_idx ON huddle.progress_events (org_id, ingest_xid, seq);
CREATE INDEX analytics_events_rollup_idx ON huddle.analytics_events (org_id, ingest_xid, seq);

-- Where each org's rollup stands in each event table. Created by the first job of the org.
CREATE TABLE huddle.rollup_cursors (
    org_id     text COLLATE "C" NOT NULL,
    source     text NOT NULL CHECK (source IN ('progress', 'analytics')),
    last_xid   xid8 NOT NULL DEFAULT '0'::xid8,
    last_seq   bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, source)
);

-- The figures admins read, one row per org and UTC day of occurred_at.
CREATE TABLE huddle.org_daily_rollups (
    org_id             text COLLATE "C" NOT NULL,
    day                date NOT NULL,
    active_learners    integer NOT NULL DEFAULT 0 CHECK (active_learners >= 0),
    lessons_completed  integer NOT NULL DEFAULT 0 CHECK (lessons_completed >= 0),
    courses_completed  integer NOT NULL DEFAULT 0 CHECK (courses_completed >= 0),
    time_spent_seconds bigint NOT NULL DEFAULT 0 CHECK (time_spent_seconds >= 0),
    events_total       bigint NOT NULL DEFAULT 0 CHECK (events_total >= 0),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, day)
);

-- Events per name: the progress type (lesson_progress, lesson_completed) or the analytics event name.
CREATE TABLE huddle.org_daily_event_counts (
    org_id text COLLATE "C" NOT NULL,
    day    date NOT NULL,
    source text NOT NULL CHECK (source IN ('progress', 'analytics')),
    name   text NOT NULL,
    count  bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (org_id, day, source, name)
);

-- The exact sets behind the distinct counts. A job inserts into them first and adds to the counts only
-- what the sets newly gained, so an event seen again can never count twice.
CREATE TABLE huddle.org_daily_learners (
    org_id  text COLLATE "C" NOT NULL,
    day     date NOT NULL,
    user_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, day, user_id)
);

-- A lesson counts as completed on the UTC day of the learner's first completion of it
-- (user_lesson_progress.completed_at); a course on the day it became complete
-- (user_course_progress.completed_at). The (user, lesson) / (user, course) pair is unique per org, so
-- a completion whose day moves (a late event with an earlier completion) moves with it.
CREATE TABLE huddle.org_daily_lesson_completions (
    org_id    text COLLATE "C" NOT NULL,
    day       date NOT NULL,
    user_id   text COLLATE "C" NOT NULL,
    lesson_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, day, user_id, lesson_id)
);
CREATE UNIQUE INDEX org_daily_lesson_completions_pair_idx
    ON huddle.org_daily_lesson_completions (org_id, user_id, lesson_id);

CREATE TABLE huddle.org_daily_course_completions (
    org_id    text COLLATE "C" NOT NULL,
    day       date NOT NULL,
    user_id   text COLLATE "C" NOT NULL,
    course_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, day, user_id, course_id)
);
CREATE UNIQUE INDEX org_daily_course_completions_pair_idx
    ON huddle.org_daily_course_completions (org_id, user_id, course_id);
