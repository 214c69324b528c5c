package dev.phork.generation;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.imageio.ImageIO;
import org.springframework.stereotype.Component;

/**
 * {@code solid}: a single-colour PNG whose colour derives from prompt and seed, made in-process
 * without FFmpeg. A placeholder keyframe for drafts, and the cheapest job the engine can run, which
 * is what the queue benchmarks use to measure the engine rather than FFmpeg. Not in the default
 * chain: a job asks for it by name.
 */
@Component
class SolidProvider implements GenerationProvider {

	@Override
	public String name() {
		return "solid";
	}

	@Override
	public boolean supports(GenerationKind kind) {
		return kind == GenerationKind.IMAGE;
	}

	@Override
	public GenerationOutput generate(GenerationInput input, GenerationContext context) {
		int width = Math.clamp(input.width(), 64, 2048);
		int height = Math.clamp(input.height(), 64, 2048);
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(new Color(colour(input.prompt(), input.seed())));
		graphics.fillRect(0, 0, width, height);
		graphics.dispose();
		Path file = context.workDir().resolve("solid.png");
		try {
			// Encoded in memory and written at once: ImageIO writing to a file makes many small writes.
			ByteArrayOutputStream png = new ByteArrayOutputStream();
			ImageIO.write(image, "png", png);
			Files.write(file, png.toByteArray());
		}
		catch (IOException ex) {
			throw new ProviderException("cannot write the image: " + ex.getMessage(), true, ex);
		}
		context.progress(1);
		return new GenerationOutput(file, "image/png", null, name(), "solid-v1");
	}

	private static int colour(String prompt, long seed) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256")
				.digest((prompt + "|" + seed).getBytes(StandardCharsets.UTF_8));
			return ((hash[0] & 0xFF) << 16) | ((hash[1] & 0xFF) << 8) | (hash[2] & 0xFF);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
