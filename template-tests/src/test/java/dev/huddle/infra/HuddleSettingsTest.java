package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HuddleSettingsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        HuddleSettings settings = HuddleSettings.defaults();
        assertThat(settings.createsUserPool()).isTrue();
        assertThat(settings.throttleRatePerSecond()).isEqualTo(1000);
        assertThat(settings.throttleBurst()).isEqualTo(2000);
        assertThat(settings.dbInstanceClass()).isEqualTo("t4g.small");
        assertThat(settings.deletionProtection()).isTrue();
        assertThat(settings.removalPolicy()).isEqualTo(HuddleSettings.Removal.SNAPSHOT);
        assertThat(settings.retentionSchedule()).isEqualTo("cron(15 3 * * ? *)");
        assertThat(settings.workerMaxConcurrency()).isEqualTo(5);
        assertThat(settings.ingestReservedConcurrency()).isEqualTo(100);
        assertThat(settings.healthThrottleRatePerSecond()).isEqualTo(10);
        assertThat(settings.healthThrottleBurst()).isEqualTo(20);
        assertThat(settings.alarmEmail()).isEmpty();
        assertThat(settings.localstack()).isFalse();
    }

    @Test
    void stringsFromTheCommandLineAndJsonTypesFromCdkJsonBothParse() {
        HuddleSettings fromCli = HuddleSettings.fromMap(Map.of("jwtIssuer", "https://idp.example.com/",
                "jwtAudience", "a, b", "dbMultiAz", "true", "throttleBurst", "300"));
        HuddleSettings fromJson = HuddleSettings.fromMap(Map.of("jwtIssuer", "https://idp.example.com/",
                "jwtAudience", List.of("a", "b"), "dbMultiAz", true, "throttleBurst", 300));
        assertThat(fromCli).isEqualTo(fromJson);
        assertThat(fromCli.jwtIssuer()).isEqualTo(Optional.of("https://idp.example.com/"));
        assertThat(fromCli.jwtAudience()).containsExactly("a", "b");
    }

    @Test
    void invalidSettingsFailTheSynthNamingTheSetting() {
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("jwtIssuer", "https://idp.example.com/")))
                .hasMessage("jwtAudience is required when jwtIssuer is set");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("jwtIssuer", "http://idp", "jwtAudience", "a")))
                .hasMessage("jwtIssuer must be an https URL: http://idp");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("throttleRatePerSecond", "fast")))
                .hasMessage("throttleRatePerSecond is not a number: fast");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("removalPolicy", "keep")))
                .hasMessage("removalPolicy must be retain, snapshot or destroy: keep");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("workerMaxConcurrency", 1)))
                .hasMessage("workerMaxConcurrency must be 2..1000: 1");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("logRetentionDays", 10)))
                .hasMessageStartingWith("logRetentionDays must be one of ");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("localstack", "yes")))
                .hasMessage("localstack must be true or false: yes");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("dbInstanceClass", "db.t4g.small ")))
                .hasMessageStartingWith("dbInstanceClass must look like t4g.small");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("ingestReservedConcurrency", 0)))
                .hasMessageStartingWith("ingestReservedConcurrency must be 1..");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("healthThrottleBurst", 0)))
                .hasMessage("healthThrottleBurst must be > 0: 0");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("dbInstanceClass", "t4g.huge")))
                .hasMessageStartingWith("dbInstanceClass size must be one of");
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("retentionDay", 3)))
                .hasMessage("unknown setting: retentionDay");
    }
}
