package dev.huddle.ingest;

/**
 * The machine-readable reasons for rejecting one event (the request still gets a 200). Java validation
 * decides all but the last three, which come from the database.
 */
final class RejectionReason {
    public static final String NOT_AN_OBJECT = "not_an_object";
    public static final String MISSING_EVENT_ID = "missing_eventId";
    public static final String INVALID_EVENT_ID = "invalid_eventId";
    public static final String INVALID_TYPE = "invalid_type";
    public static final String MISSING_COURSE_ID = "missing_courseId";
    public static final String INVALID_COURSE_ID = "invalid_courseId";
    public static final String MISSING_LESSON_ID = "missing_lessonId";
    public static final String INVALID_LESSON_ID = "invalid_lessonId";
    public static final String INVALID_PROGRESS_PERCENT = "invalid_progressPercent";
    public static final String INVALID_TIME_SPENT_SECONDS = "invalid_timeSpentSeconds";
    public static final String MISSING_OCCURRED_AT = "missing_occurredAt";
    public static final String INVALID_OCCURRED_AT = "invalid_occurredAt";
    public static final String OCCURRED_AT_TOO_OLD = "occurredAt_too_old";
    public static final String OCCURRED_AT_IN_FUTURE = "occurredAt_in_future";
    public static final String MISSING_NAME = "missing_name";
    public static final String INVALID_NAME = "invalid_name";
    public static final String INVALID_PROPERTIES = "invalid_properties";
    public static final String PROPERTIES_TOO_LARGE = "properties_too_large";
    public static final String NO_ASSIGNMENT = "no_assignment";
    public static final String UNKNOWN_LESSON = "unknown_lesson";
    /** The org has used MAX_EVENT_NAMES_PER_ORG_DAY distinct analytics names on the event's day already. */
    public static final String TOO_MANY_EVENT_NAMES = "too_many_event_names";

    private RejectionReason() {
    }
}
