package dev.huddle.retention;

/**
 * The points between the steps of retiring one partition. Production passes {@link Listener#NONE};
 * the crash-and-rerun tests make a run die at each point and check that the next run finishes the job.
 */
public enum Checkpoint {
    /** The snapshot object is uploaded; no manifest yet. */
    UPLOADED,
    /** The manifest is written; the snapshot is not verified yet. */
    MANIFEST_WRITTEN,
    /** The partition is detached inside the drop transaction; not dropped or committed yet. */
    DETACHED;

    /** Told when a run reaches a checkpoint. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (checkpoint, partition) -> { };

        void reached(Checkpoint checkpoint, EventPartition partition);
    }
}
