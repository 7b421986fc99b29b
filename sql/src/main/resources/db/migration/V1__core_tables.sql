-- Core tables: the catalogue (orgs, courses, lessons), who belongs where (memberships, assignments) and
-- the per-learner progress state that the ingest procedures maintain.
--
-- Ids are text: they come from the product's identity provider and catalogue (e.g. 'learner-0001',
-- 'course-101'), and the JWT `sub` claim is the user id as is. There is no users table: a user exists
-- for this service once they hold a membership or an assignment.
--
-- Id columns use the "C" collation: ids are opaque, so byte order is the right order, and every index
-- comparison on the hot path becomes a memcmp instead of a locale-aware strcoll (the database default
-- on RDS is en_US.UTF-8). Comparing with a default-collation value (a parameter, a JSON field) uses the
-- column's collation, so the indexes still apply.

CREATE TABLE huddle.orgs (
    org_id     text COLLATE "C" PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE huddle.courses (
    course_id  text COLLATE "C" PRIMARY KEY,
    org_id     text COLLATE "C" NOT NULL REFERENCES huddle.orgs,
    title      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Target of the composite foreign key from assignments: the org copied onto an assignment can only
    -- be the course's own org.
    UNIQUE (course_id, org_id)
);
CREATE INDEX courses_org_id_idx ON huddle.courses (org_id);

CREATE TABLE huddle.lessons (
    lesson_id  text COLLATE "C" PRIMARY KEY,
    course_id  text COLLATE "C" NOT NULL REFERENCES huddle.courses,
    position   integer NOT NULL CHECK (position >= 1),
    title      text NOT NULL,
    -- One lesson per slot; also serves "count the lessons of a course" (index-only on course_id).
    UNIQUE (course_id, position)
);

CREATE TABLE huddle.org_memberships (
    org_id     text COLLATE "C" NOT NULL REFERENCES huddle.orgs,
    user_id    text COLLATE "C" NOT NULL,
    role       text NOT NULL CHECK (role IN ('learner', 'admin')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id)
);
-- Analytics events without a course take the org of the user's earliest membership: looked up by user.
CREATE INDEX org_memberships_user_id_idx ON huddle.org_memberships (user_id, created_at);

CREATE TABLE huddle.assignments (
    user_id     text COLLATE "C" NOT NULL,
    course_id   text COLLATE "C" NOT NULL,
    -- Denormalised from the course so the hot path finds the event's org with one primary-key lookup.
    org_id      text COLLATE "C" NOT NULL,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, course_id),
    FOREIGN KEY (course_id, org_id) REFERENCES huddle.courses (course_id, org_id)
);
CREATE INDEX assignments_course_id_idx ON huddle.assignments (course_id);

-- The progress tables are derived state with one writer, huddle_api.upsert_progress_batch, which takes
-- the org from the learner's assignment and checks that the lesson belongs to the course in the same
-- statement that writes. So they carry no foreign keys: each would run one trigger query per inserted
-- row (measured: about a quarter of a 100-event batch for a learner's first events), on the hot path.
-- The relationships they would enforce:
--   user_lesson_progress (lesson_id, course_id) -> lessons (lesson_id, course_id)
--   user_lesson_progress / user_course_progress (user_id, course_id) -> assignments, org_id = the course's
--
-- Fill factor below 100 leaves room on each page so the frequent in-place updates of these rows stay
-- HOT (no index maintenance): none of their indexed columns change after the first insert.
CREATE TABLE huddle.user_lesson_progress (
    user_id            text COLLATE "C" NOT NULL,
    lesson_id          text COLLATE "C" NOT NULL,
    course_id          text COLLATE "C" NOT NULL,
    org_id             text COLLATE "C" NOT NULL,
    progress_percent   numeric(5, 2) NOT NULL CHECK (progress_percent BETWEEN 0 AND 100),
    completed          boolean NOT NULL DEFAULT false,
    completed_at       timestamptz,
    time_spent_seconds bigint NOT NULL DEFAULT 0 CHECK (time_spent_seconds >= 0),
    last_activity_at   timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, lesson_id),
    -- completed_at is the earliest completion's occurredAt, so it exists exactly when completed.
    CHECK (completed = (completed_at IS NOT NULL))
) WITH (fillfactor = 90);
-- The course recompute reads one learner's lessons of one course.
CREATE INDEX user_lesson_progress_user_course_idx ON huddle.user_lesson_progress (user_id, course_id);

CREATE TABLE huddle.user_course_progress (
    user_id           text COLLATE "C" NOT NULL,
    course_id         text COLLATE "C" NOT NULL,
    org_id            text COLLATE "C" NOT NULL,
    completed_lessons integer NOT NULL CHECK (completed_lessons >= 0),
    total_lessons     integer NOT NULL CHECK (total_lessons >= 0),
    progress_percent  numeric(5, 2) NOT NULL CHECK (progress_percent BETWEEN 0 AND 100),
    -- When the last lesson of the course was completed (the latest lesson completed_at), once all are.
    completed_at      timestamptz,
    last_activity_at  timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, course_id),
    CHECK (completed_lessons <= total_lessons)
) WITH (fillfactor = 90);
-- Admin reports list an org's learners' course progress.
CREATE INDEX user_course_progress_org_course_idx ON huddle.user_course_progress (org_id, course_id);

-- The offline-queue depth each client last reported (X-Client-Queue-Depth). Written only when the depth
-- changes, so a steady client costs one index lookup, not a write per batch.
CREATE TABLE huddle.client_queue_reports (
    user_id     text COLLATE "C" PRIMARY KEY,
    depth       integer NOT NULL CHECK (depth >= 0),
    -- When this depth was first reported.
    reported_at timestamptz NOT NULL DEFAULT now()
);
