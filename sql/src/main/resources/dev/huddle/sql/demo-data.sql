-- The local demo data (README.md, "Run it locally (one command)"). Set-based and idempotent: every
-- insert skips rows that already exist, so seeding twice changes nothing.

INSERT INTO huddle.orgs (org_id, name)
SELECT 'org-' || o, 'Demo org ' || o
  FROM generate_series(1, 3) AS o
ON CONFLICT DO NOTHING;

-- course-101..110 in org-1, 201..210 in org-2, 301..310 in org-3.
INSERT INTO huddle.courses (course_id, org_id, title)
SELECT 'course-' || (o * 100 + c), 'org-' || o, 'Demo course ' || (o * 100 + c)
  FROM generate_series(1, 3) AS o, generate_series(1, 10) AS c
ON CONFLICT DO NOTHING;

INSERT INTO huddle.lessons (lesson_id, course_id, position, title)
SELECT c.course_id || '-lesson-' || lpad(p::text, 2, '0'), c.course_id, p, 'Lesson ' || p
  FROM huddle.courses c, generate_series(1, 10) AS p
 WHERE c.course_id ~ '^course-[1-3](0[1-9]|10)$'
ON CONFLICT DO NOTHING;

-- learner-0001..learner-5000; learner n belongs to org ((n - 1) mod 3) + 1.
INSERT INTO huddle.org_memberships (org_id, user_id, role)
SELECT 'org-' || ((n - 1) % 3 + 1), 'learner-' || lpad(n::text, 4, '0'), 'learner'
  FROM generate_series(1, 5000) AS n
ON CONFLICT DO NOTHING;

-- An org admin, for the admin routes.
INSERT INTO huddle.org_memberships (org_id, user_id, role)
VALUES ('org-1', 'admin-1', 'admin')
ON CONFLICT DO NOTHING;

-- Every learner is assigned every course of their org.
INSERT INTO huddle.assignments (user_id, course_id, org_id)
SELECT m.user_id, c.course_id, c.org_id
  FROM huddle.org_memberships m
  JOIN huddle.courses c ON c.org_id = m.org_id
 WHERE m.role = 'learner'
   AND m.user_id ~ '^learner-[0-9]{4}$'
   AND c.course_id ~ '^course-[1-3](0[1-9]|10)$'
ON CONFLICT DO NOTHING;

-- Fresh statistics, so the first queries against the seeded tables get good plans.
ANALYZE huddle.orgs, huddle.courses, huddle.lessons, huddle.org_memberships, huddle.assignments;
