package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class NetworkTemplateTest {
    private final Template template = Synth.template();

    @Test
    void vpcHasTwoIsolatedSubnetsAndNoInternetPath() {
        template.resourceCountIs("AWS::EC2::VPC", 1);
        template.resourceCountIs("AWS::EC2::Subnet", 2);
        template.resourceCountIs("AWS::EC2::NatGateway", 0);
        template.resourceCountIs("AWS::EC2::InternetGateway", 0);
        template.allResourcesProperties("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", false));
    }

    @Test
    void s3AndDynamoDbAreReachedThroughGatewayEndpoints() {
        Map<String, Map<String, Object>> gateways = template.findResources("AWS::EC2::VPCEndpoint",
                Map.of("Properties", Map.of("VpcEndpointType", "Gateway")));
        assertThat(gateways.values()).extracting(r -> serviceName(r)).containsExactlyInAnyOrder("s3", "dynamodb");
    }

    @Test
    void sqsAndSecretsManagerAreReachedThroughPrivateInterfaceEndpoints() {
        Map<String, Map<String, Object>> interfaces = template.findResources("AWS::EC2::VPCEndpoint",
                Map.of("Properties", Map.of("VpcEndpointType", "Interface", "PrivateDnsEnabled", true)));
        assertThat(interfaces.values()).extracting(r -> serviceName(r)).containsExactlyInAnyOrder("sqs", "secretsmanager");
    }

    @Test
    void rejectedTrafficIsLogged() {
        template.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "REJECT"));
    }

    /** The last dot-separated part of the endpoint's service name ("com.amazonaws.<region>.sqs"). */
    @SuppressWarnings("unchecked")
    private static String serviceName(Map<String, Object> resource) {
        Object name = ((Map<String, Object>) resource.get("Properties")).get("ServiceName");
        String text = name instanceof String s ? s : String.valueOf(name);
        String[] parts = text.replaceAll("[\\]\\[\"}{ ]", "").split("[.,]");
        return List.of(parts).stream().filter(p -> !p.isEmpty()).reduce((a, b) -> b).orElseThrow();
    }
}
