package dev.phork.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phork.common.ProblemException;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard as configured in production (https only, no private addresses), without DNS
 * beyond loopback names: literal addresses decide it. WebhookProcessTest checks the same refusals
 * over HTTP and at delivery, against a second Phork process.
 */
class WebhookUrlsTest {

	private final WebhookUrls production = new WebhookUrls(false, false);

	@Test
	void internalAddressesAreRefusedAtRegistration() {
		for (String url : new String[] { "https://127.0.0.1/hook", "https://localhost:8443/hook", "https://10.1.2.3/",
				"https://172.16.0.9/", "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data",
				"https://100.64.0.1/", "https://0.0.0.0/", "https://224.0.0.1/", "https://[::1]/", "https://[fd00::1]/",
				"https://[fe80::1]/", "https://[::ffff:10.0.0.1]/", "https://[ff02::1]/" }) {
			assertThatThrownBy(() -> production.requireAllowed(url)).as(url)
				.isInstanceOfSatisfying(ProblemException.class, ex -> assertThat(ex.code()).isEqualTo("webhook_url_not_allowed"));
		}
	}

	@Test
	void onlyHttpsUnlessHttpIsAllowed() {
		for (String url : new String[] { "http://93.184.215.14/hook", "ftp://93.184.215.14/", "https://user:pw@93.184.215.14/",
				"not a url", "https:///nohost" }) {
			assertThatThrownBy(() -> production.requireAllowed(url)).as(url)
				.isInstanceOfSatisfying(ProblemException.class, ex -> assertThat(ex.code()).isEqualTo("invalid_webhook_url"));
		}
		assertThat(new WebhookUrls(true, false).requireAllowed("http://93.184.215.14/hook").getScheme()).isEqualTo("http");
	}

	@Test
	void publicAddressesPass() {
		assertThat(production.requireAllowed("https://93.184.215.14/hook")).isEqualTo(URI.create("https://93.184.215.14/hook"));
		assertThat(production.refusal(URI.create("https://[2606:4700::1111]/"))).isEmpty();
		assertThat(production.refusal(URI.create("https://8.8.8.8/"))).isEmpty();
	}

	@Test
	void refusalIsCheckedAgainAtDeliveryUnlessPrivateUrlsAreAllowed() throws Exception {
		assertThat(production.refusal(URI.create("https://127.0.0.1/hook"))).get().asString().contains("127.0.0.1");
		assertThat(new WebhookUrls(true, true).refusal(URI.create("http://127.0.0.1/hook"))).isEmpty();
		assertThat(WebhookUrls.isInternal(InetAddress.getByName("100.127.255.255"))).isTrue();
		assertThat(WebhookUrls.isInternal(InetAddress.getByName("100.128.0.1"))).isFalse();
	}

}
