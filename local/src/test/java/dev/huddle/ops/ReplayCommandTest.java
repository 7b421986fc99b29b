package dev.huddle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.devservers.ElasticMqServer;
import dev.huddle.local.LocalStackCli;
import dev.huddle.local.sqs.RollupQueues;
import dev.huddle.rollup.TestSqs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** {@code replay} against a real ElasticMQ with the stack's rollup queues. */
class ReplayCommandTest {
    private static ElasticMqServer elasticMq;
    private static SqsClient sqs;
    private static RollupQueues queues;

    @BeforeAll
    static void start() {
        elasticMq = ElasticMqServer.start(0);
        sqs = AwsClients.sqs(AwsConfig.from(Map.of("SQS_ENDPOINT", elasticMq.endpoint().toString(),
                "SQS_TIMEOUT_MS", "10000")));
        queues = RollupQueues.create(sqs, 5);
    }

    @AfterAll
    static void stop() {
        sqs.close();
        elasticMq.close();
    }

    @Test
    void dryRun_listsTheDeadLetters_andMovesNothing_thenReplayMovesThemBackInTheirGroup() {
        sqs.sendMessage(request -> request.queueUrl(queues.deadLetterQueueUrl()).messageBody("{\"orgId\":\"org-2\"}")
                .messageGroupId("org-2").messageDeduplicationId("poison-1"));

        String listed = run("--dry-run");

        assertThat(listed).contains("Dry run, would move: 1 dead letter").contains("group org-2").contains("org-2");
        assertThat(TestSqs.messagesHeld(sqs, queues.queueUrl())).as("nothing moved, not even delayed").isZero();

        String moved = run();

        assertThat(moved).contains("Moved: 1 dead letter");
        List<Message> jobs = TestSqs.receive(sqs, queues.queueUrl());
        assertThat(jobs).extracting(Message::body).containsExactly("{\"orgId\":\"org-2\"}");
        assertThat(jobs.getFirst().attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "org-2");
        assertThat(TestSqs.messagesHeld(sqs, queues.deadLetterQueueUrl())).as("dead letters left").isZero();
    }

    @Test
    void withoutQueues_failsSayingHowToFixIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = LocalStackCli.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));

        int exit = cli.execute("replay", "--dry-run", "--state-dir", empty.toString());

        assertThat(exit).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("local-stack.jar run --state-dir")
                .contains("ROLLUP_QUEUE_URL");
    }

    private static String run(String... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReplayCommand command = new ReplayCommand(new PrintStream(out, true, StandardCharsets.UTF_8));
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of(options), java.util.stream.Stream.of(
                "--sqs-endpoint", elasticMq.endpoint().toString(),
                "--queue-url", queues.queueUrl(),
                "--dlq-url", queues.deadLetterQueueUrl())).toArray(String[]::new);
        assertThat(new CommandLine(command).execute(args)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
