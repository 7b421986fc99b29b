package dev.huddle.perf.loadtest;

/**
 * A learner of the local stack's demo data: {@code learner-0001}..{@code learner-5000}, learner n in org
 * {@code ((n-1) mod 3)+1} and assigned that org's ten courses ({@code course-101}..{@code course-110} for
 * org-1), each with lessons {@code <courseId>-lesson-01}..{@code -10}.
 */
record DemoLearner(int number) {
    static final int COUNT = 5_000;
    static final int COURSES_PER_ORG = 10;
    static final int LESSONS_PER_COURSE = 10;

    DemoLearner {
        if (number < 1 || number > COUNT) {
            throw new IllegalArgumentException("the demo data has learners 1.." + COUNT + ": " + number);
        }
    }

    String userId() {
        return String.format("learner-%04d", number);
    }

    int org() {
        return (number - 1) % 3 + 1;
    }

    /** The learner's org's course {@code index} (0..9). */
    String courseId(int index) {
        return "course-" + (org() * 100 + index + 1);
    }

    static String lessonId(String courseId, int index) {
        return String.format("%s-lesson-%02d", courseId, index + 1);
    }
}
