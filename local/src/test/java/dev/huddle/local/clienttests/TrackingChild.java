package dev.huddle.local.clienttests;

import dev.huddle.client.HuddleClient;
import dev.huddle.client.ProgressEvent;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The process the crash test kills: tracks progress events {@code from..to-1} with ids
 * {@code <prefix>-<index>} and a fixed occurredAt per index (so a re-tracked event is the same event),
 * printing {@code tracked <index>} once each is on disk, then drains and prints {@code drained <bool>}.
 *
 * <p>Arguments: baseUrl token queueDirectory prefix from to baseEpochMillis
 */
public final class TrackingChild {
    private TrackingChild() {
    }

    public static void main(String[] args) {
        URI baseUrl = URI.create(args[0]);
        String token = args[1];
        Path queueDirectory = Path.of(args[2]);
        String prefix = args[3];
        int from = Integer.parseInt(args[4]);
        int to = Integer.parseInt(args[5]);
        Instant base = Instant.ofEpochMilli(Long.parseLong(args[6]));
        HuddleClient client = HuddleClient.builder(baseUrl)
                .tokenSupplier(() -> token)
                .queueDirectory(queueDirectory)
                .minInterval(Duration.ofMillis(400))
                .maxInterval(Duration.ofSeconds(2))
                .build();
        for (int index = from; index < to; index++) {
            client.trackProgress(new ProgressEvent(eventId(prefix, index), ProgressEvent.Type.LESSON_PROGRESS,
                    "course-101", "course-101-lesson-03", index % 100, 1, base.plusMillis(index)));
            System.out.println("tracked " + index);
            System.out.flush();
        }
        boolean drained = client.close(Duration.ofMinutes(2));
        System.out.println("drained " + drained);
        System.out.flush();
        System.exit(drained ? 0 : 1);
    }

    static String eventId(String prefix, int index) {
        return String.format("%s-%05d", prefix, index);
    }
}
