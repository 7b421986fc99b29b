package dev.huddle.perf.loadtest;

/** The two batch routes a learner's flush calls: its progress queue and its analytics queue. */
enum LoadRoute {
    PROGRESS("/api/client/progress/batch"),
    ANALYTICS("/api/analytics/events/batch");

    final String path;

    LoadRoute(String path) {
        this.path = path;
    }
}
