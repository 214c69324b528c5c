package dev.phork.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * Actuator is served on a management port of its own, bound to loopback; the API port serves none
 * of it (a reverse proxy in front of the API port once made metrics public: they were "loopback
 * only" by the TCP peer, which behind a proxy on the same host is always loopback).
 */
class ManagementPortTest extends ApiTest {

	@LocalManagementPort
	int managementPort;

	@Test
	void metricsAnswerOnTheManagementPortAtLoopback() {
		assertThat(managementPort).isNotEqualTo(port);
		Http management = new Http("http://127.0.0.1:" + managementPort, json);
		Http.Response prometheus = management.get("/actuator/prometheus", null).assertStatus(200);
		assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
		management.get("/actuator/health", null).assertStatus(200);
		management.get("/actuator/metrics", null).assertStatus(200);
	}

	@Test
	void theApiPortServesNoActuatorEndpointToAnyone() {
		TestUser user = register();
		for (String path : new String[] { "/actuator/prometheus", "/actuator/metrics", "/actuator/health", "/actuator" }) {
			http.get(path, null).assertStatus(404);
			http.get(path, user.token()).assertStatus(404);
			// What a reverse proxy on the same host sends: the peer is loopback, the client is not.
			http.send("GET", path, null, null, new String[] { "X-Forwarded-For", "203.0.113.7" }).assertStatus(404);
			http.send("GET", path, null, null, new String[] { "X-Forwarded-For", "127.0.0.1", "Forwarded", "for=127.0.0.1" })
				.assertStatus(404);
		}
	}

	@Test
	void probesStayOnTheApiPort() {
		assertThat(http.get("/health", null).assertStatus(200).json().get("status").asString()).isEqualTo("ok");
		assertThat(http.get("/readyz", null).assertStatus(200).json().get("status").asString()).isEqualTo("UP");
		assertThat(http.get("/livez", null).assertStatus(200).json().get("status").asString()).isEqualTo("UP");
	}

	@Test
	void theManagementPortIsNotReachableOnOtherAddresses() throws IOException {
		Optional<InetAddress> outside = nonLoopbackAddress();
		assumeTrue(outside.isPresent(), "this host has no address but loopback");
		try (Socket api = new Socket()) {
			// The API port listens on every address, so this address is reachable.
			api.connect(new InetSocketAddress(outside.get(), port), 2000);
		}
		assertThatThrownBy(() -> {
			try (Socket management = new Socket()) {
				management.connect(new InetSocketAddress(outside.get(), managementPort), 2000);
			}
		}).isInstanceOf(IOException.class);
	}

	private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
		return NetworkInterface.networkInterfaces()
			.filter(nic -> {
				try {
					return nic.isUp() && !nic.isLoopback();
				}
				catch (SocketException ex) {
					return false;
				}
			})
			.flatMap(NetworkInterface::inetAddresses)
			.filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
			.findFirst();
	}

}
