package dev.phork;

import dev.phork.generation.GenerationContext;
import dev.phork.generation.GenerationInput;
import dev.phork.generation.GenerationKind;
import dev.phork.generation.GenerationOutput;
import dev.phork.generation.GenerationProvider;
import dev.phork.generation.ProviderException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A test provider (named {@code scripted}) whose behaviour the prompt chooses, to drive the engine
 * through failures a real provider only shows sometimes. It makes a small real PNG.
 * <ul>
 * <li>{@code ok:<tag>} succeeds at once;
 * <li>{@code flaky:<n>:<tag>} fails transiently n times, then succeeds;
 * <li>{@code broken:<tag>} fails permanently;
 * <li>{@code remote:<tag>} behaves like a remote API: the first call starts a remote job, records
 * its id and loses the connection; a call that finds the id resumes it;
 * <li>{@code park:<tag>} waits until {@link #release} (at most a minute), then succeeds;
 * <li>{@code hang-once:<tag>} blocks (until interrupted) the first time, succeeds afterwards.
 * </ul>
 */
public class ScriptedProvider implements GenerationProvider {

	public static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

	public static final Map<String, AtomicInteger> REMOTE_STARTS = new ConcurrentHashMap<>();

	private static final Map<String, CountDownLatch> PARKED = new ConcurrentHashMap<>();

	public static void release(String tag) {
		PARKED.computeIfAbsent(tag, t -> new CountDownLatch(1)).countDown();
	}

	public static int calls(String prompt) {
		return CALLS.getOrDefault(prompt, new AtomicInteger()).get();
	}

	@Override
	public String name() {
		return "scripted";
	}

	@Override
	public boolean supports(GenerationKind kind) {
		return true;
	}

	@Override
	public GenerationOutput generate(GenerationInput input, GenerationContext context) {
		String prompt = input.prompt();
		int call = CALLS.computeIfAbsent(prompt, p -> new AtomicInteger()).incrementAndGet();
		String[] parts = prompt.split(":");
		switch (parts[0]) {
			case "flaky" -> {
				if (call <= Integer.parseInt(parts[1])) {
					throw new ProviderException("upstream timed out (call " + call + ")", true);
				}
			}
			case "broken" -> throw new ProviderException("the model refused this input", false);
			case "remote" -> {
				if (context.providerJobId().isEmpty()) {
					REMOTE_STARTS.computeIfAbsent(prompt, p -> new AtomicInteger()).incrementAndGet();
					context.providerJobStarted("remote-" + parts[1]);
					throw new ProviderException("connection reset while waiting for the remote job", true);
				}
			}
			case "park" -> await(PARKED.computeIfAbsent(parts[1], t -> new CountDownLatch(1)), 60);
			case "hang-once" -> {
				if (call == 1) {
					await(new CountDownLatch(1), 120);
				}
			}
			default -> {
			}
		}
		context.progress(1);
		return new GenerationOutput(png(context.workDir(), call), "image/png", null, "scripted", "scripted-v1");
	}

	private static void await(CountDownLatch latch, int seconds) {
		try {
			latch.await(seconds, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ProviderException("interrupted", true);
		}
	}

	private static Path png(Path dir, int seed) {
		BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
		image.setRGB(0, 0, seed * 7919);
		Path file = dir.resolve("scripted.png");
		try {
			ImageIO.write(image, "png", file.toFile());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return file;
	}

}
