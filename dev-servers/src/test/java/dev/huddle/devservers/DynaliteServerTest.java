package dev.huddle.devservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local DynamoDB API survives what SDK clients do under load. */
class DynaliteServerTest {
    private DynaliteServer dynalite;

    @BeforeEach
    void start() {
        dynalite = DynaliteServer.start(0);
    }

    @AfterEach
    void stop() {
        dynalite.close();
    }

    @Test
    void keepsServing_afterClientsResetTheirConnectionsMidRequest() throws Exception {
        for (int i = 0; i < 3; i++) {
            // What an SDK call past its timeout does: the request's body is cut short by a reset.
            try (Socket socket = new Socket("127.0.0.1", dynalite.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        + "X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 1000\r\n\r\n{\"Lim")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.setSoLinger(true, 0);
            }
        }

        HttpResponse<String> answer = listTables();

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("TableNames");
    }

    /** ListTables with a well-formed (not verified) SigV4 header, as dynalite requires one. */
    private HttpResponse<String> listTables() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(dynalite.endpoint() + "/"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .header("X-Amz-Date", "20261202T000000Z")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/dynamodb/aws4_request,"
                        + " SignedHeaders=host;x-amz-date;x-amz-target, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
