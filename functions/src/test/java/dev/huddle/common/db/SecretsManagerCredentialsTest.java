package dev.huddle.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.common.DependencyUnavailableException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class SecretsManagerCredentialsTest {
    private final FakeSecretsManager secrets = new FakeSecretsManager();
    private final SecretsManagerCredentials credentials =
            new SecretsManagerCredentials(secrets, FakeSecretsManager.SECRET_ID);

    @Test
    void readsTheSecretLazily_andOnlyOnce() {
        secrets.store("huddle_app", "first-password");
        assertThat(secrets.reads()).isZero();

        DbCredentials first = credentials.current();
        DbCredentials second = credentials.current();

        assertThat(first).isEqualTo(new DbCredentials("huddle_app", "first-password")).isSameAs(second);
        assertThat(secrets.reads()).isEqualTo(1);
    }

    @Test
    void offersTheRotatedPassword_afterARejection() {
        secrets.store("huddle_app", "first-password");
        DbCredentials rejected = credentials.current();
        secrets.store("huddle_app", "rotated-password");

        assertThat(credentials.renewedAfterRejection(rejected))
                .contains(new DbCredentials("huddle_app", "rotated-password"));
        assertThat(credentials.current().password()).isEqualTo("rotated-password");
        assertThat(secrets.reads()).isEqualTo(2);
    }

    @Test
    void offersNothing_whenTheSecretStillHoldsTheRejectedPassword() {
        secrets.store("huddle_app", "wrong-password");
        DbCredentials rejected = credentials.current();

        assertThat(credentials.renewedAfterRejection(rejected)).isEmpty();
    }

    @Test
    void doesNotReadAgain_whenAnotherConnectionAlreadyRenewedTheCredentials() {
        secrets.store("huddle_app", "first-password");
        DbCredentials rejected = credentials.current();
        secrets.store("huddle_app", "rotated-password");
        credentials.renewedAfterRejection(rejected);

        assertThat(credentials.renewedAfterRejection(rejected)).hasValueSatisfying(
                renewed -> assertThat(renewed.password()).isEqualTo("rotated-password"));
        assertThat(secrets.reads()).isEqualTo(2);
    }

    @Test
    void reportsADependencyFailure_whenSecretsManagerCannotBeReached() {
        secrets.failWith(SdkClientException.create("connect timed out"));

        assertThatThrownBy(credentials::current)
                .isInstanceOfSatisfying(DependencyUnavailableException.class,
                        e -> assertThat(e.dependency()).isEqualTo("secretsmanager"));
    }

    @Test
    void failsWithoutEchoingTheSecret_whenItIsMalformed() {
        secrets.storeRaw("{\"username\":\"huddle_app\",\"pass\":\"s3cr3t\"}");
        assertThatThrownBy(credentials::current)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the database secret has no \"password\"")
                .hasMessageNotContaining("s3cr3t");

        secrets.storeRaw("not json s3cr3t");
        assertThatThrownBy(credentials::current)
                .hasMessage("the database secret is not JSON")
                .hasNoCause();
    }

    @Test
    void readsTheSecretAgainAfterRestore_becauseTheSnapshotKeepsNoPassword() {
        secrets.store("huddle_app", "first-password");
        credentials.current();

        credentials.beforeCheckpoint(null);
        credentials.afterRestore(null);
        credentials.current();

        assertThat(secrets.reads()).isEqualTo(2);
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(new DbCredentials("huddle_app", "s3cr3t").toString()).doesNotContain("s3cr3t");
    }
}
