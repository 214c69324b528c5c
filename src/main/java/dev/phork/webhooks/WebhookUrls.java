package dev.phork.webhooks;

import dev.phork.common.ProblemException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may be sent: an absolute {@code https} URL (or {@code http} when allowed) without
 * credentials, whose host resolves only to public addresses, so that nobody can aim the server at
 * its own network (loopback, private ranges, link-local with cloud metadata, multicast). The host
 * is resolved at registration and again before every attempt, since DNS may change in between.
 */
@Component
class WebhookUrls {

	private final boolean allowHttp;

	private final boolean allowPrivate;

	@Autowired
	WebhookUrls(WebhookSettings settings) {
		this(settings.allowHttp(), settings.allowPrivateUrls());
	}

	WebhookUrls(boolean allowHttp, boolean allowPrivate) {
		this.allowHttp = allowHttp;
		this.allowPrivate = allowPrivate;
	}

	/** The URL to register, or a 400 or 422 problem saying why it may not be. */
	URI requireAllowed(String url) {
		URI uri = parse(url);
		refusal(uri).ifPresent(reason -> {
			throw ProblemException.unprocessable("webhook_url_not_allowed", reason);
		});
		return uri;
	}

	/** Why a delivery to this URL may not be sent now, if it may not. */
	Optional<String> refusal(URI uri) {
		if (allowPrivate) {
			return Optional.empty();
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(uri.getHost());
		}
		catch (UnknownHostException ex) {
			return Optional.of("The host " + uri.getHost() + " does not resolve.");
		}
		for (InetAddress address : addresses) {
			if (isInternal(address)) {
				return Optional.of("The host " + uri.getHost() + " resolves to " + address.getHostAddress()
						+ ", a loopback, private, link-local or multicast address; webhooks go to public addresses only.");
			}
		}
		return Optional.empty();
	}

	private URI parse(String url) {
		URI uri;
		try {
			uri = new URI(url.strip());
		}
		catch (URISyntaxException ex) {
			throw invalid("The webhook URL is not a valid URL.");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
			throw invalid(allowHttp ? "The webhook URL must be https or http." : "The webhook URL must be https.");
		}
		if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
			throw invalid("The webhook URL needs a host and may not carry credentials or a fragment.");
		}
		return uri;
	}

	private static ProblemException invalid(String detail) {
		return ProblemException.badRequest("invalid_webhook_url", detail);
	}

	/** Loopback, unspecified, private (RFC 1918, RFC 6598 shared, IPv6 unique local), link-local, multicast. */
	static boolean isInternal(InetAddress address) {
		if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = bytes[0] & 0xff;
			int second = bytes[1] & 0xff;
			// 0.0.0.0/8 "this network", 100.64.0.0/10 carrier-grade NAT, 255.255.255.255 broadcast.
			return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 255);
		}
		if (address instanceof Inet6Address) {
			// fc00::/7 unique local; an IPv4-mapped or -compatible address is judged as its IPv4 part.
			if ((bytes[0] & 0xfe) == 0xfc) {
				return true;
			}
			boolean mapped = true;
			for (int i = 0; i < 10; i++) {
				mapped &= bytes[i] == 0;
			}
			if (mapped && ((bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) || (bytes[10] == 0 && bytes[11] == 0))) {
				try {
					return isInternal(InetAddress.getByAddress(new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] }));
				}
				catch (UnknownHostException ex) {
					return true;
				}
			}
		}
		return false;
	}

}
