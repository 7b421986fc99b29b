package dev.huddle.ingest;

/** The hostile corpus against the recording fake store (the real store: HostileCorpusPostgresTest). */
class HostileCorpusTest extends HostileCorpusContract {

    @Override
    protected EventStore store() {
        return new RecordingEventStore();
    }
}
