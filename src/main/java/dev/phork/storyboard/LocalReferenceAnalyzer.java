package dev.phork.storyboard;

import dev.phork.media.ImageSettings;
import dev.phork.media.ImageSize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.springframework.stereotype.Component;

/**
 * The built-in analyzer: measures the picture instead of asking a vision model, so that the registry
 * works offline and the same file always gives the same answer.
 *
 * <p>Every picture is first averaged down to a {@value #GRID}x{@value #GRID} grid, ignoring its
 * aspect, and everything but the orientation is measured on that grid, so that no measure depends on
 * resolution or on the noise of an encoder. The embedding joins two parts:
 * <ul>
 * <li><b>structure</b>, as in a perceptual hash: the 8x8 lowest frequencies, without the average, of
 * the 2-D DCT of the grey picture at 32x32. It sees the layout of light and dark, not brightness or
 * contrast. A nearly flat picture has no layout worth comparing, so this part is not stretched to
 * full length below {@value #STRUCTURE_FLOOR} (a grey-level spread of about 3%), where it would be
 * mostly noise;</li>
 * <li><b>colour</b>: a 4x4x4 RGB histogram, each cell spread over its nearest bins so that a colour
 * on a bin edge does not jump between bins when re-encoded, square-rooted so that the cosine of two
 * histograms is their Bhattacharyya coefficient and small accents count; it weighs
 * {@value #COLOUR_WEIGHT} times the structure, because a red and a green cube are different
 * objects.</li>
 * </ul>
 * The same picture, resized or saved again as JPEG, comes out at 0.97 and more by cosine (a
 * thumbnail of a busy picture is the worst case); pictures that differ in layout and palette fall
 * far below {@link Embeddings#SAME_SUBJECT}, and the same shape in another colour near 0.8. It
 * recognises the same picture, not the same person photographed again.
 *
 * <p>The kind is a heuristic, and only that: a frame wider than 1.6:1 is a {@code location} (places
 * get shot wide); an upright frame is a {@code character} (people get shot upright); a frame whose
 * centre stands out from a plain border is an {@code object} (the product shot); any other landscape
 * frame is a {@code location} and any other square one a {@code character}. A {@code style} is never
 * guessed: one picture cannot tell a style from its subject, so the user picks it.
 *
 * <p>Pictures are read with ImageIO: PNG, JPEG, GIF and BMP, but not WebP. The size in the header
 * is checked against the pixel limit ({@link ImageSettings}) before a pixel is decoded: decoding time
 * follows the declared size, not the file's. Pictures within the limit are subsampled while decoding,
 * to at most {@value #MAX_DECODED_SIDE} pixels a side, which keeps memory bounded. EXIF rotation is
 * not applied.
 */
@Component
class LocalReferenceAnalyzer implements ReferenceAnalyzer {

	private static final int GRID = 64;

	private static final int DCT_SIZE = 32;

	private static final int LOW_FREQUENCIES = 8;

	private static final int BINS = 4;

	private static final double STRUCTURE_FLOOR = 1.0;

	private static final double COLOUR_WEIGHT = 2.0;

	private static final int MAX_DECODED_SIDE = 1024;

	/** Orthonormal DCT-II basis, {@code [frequency][sample]}, for the frequencies kept. */
	private static final double[][] DCT_BASIS = dctBasis();

	/** Wider than this is a landscape, narrower than its inverse a portrait. */
	private static final double SQUARE_TOLERANCE = 1.1;

	private static final double WIDE_FRAME = 1.6;

	/** Mean grey-level step between neighbouring grid cells above which a picture is busy. */
	private static final double BUSY_EDGES = 0.04;

	/** Mean luma below which a picture is dark, and above which it is bright. */
	private static final double DARK = 0.35;

	private static final double BRIGHT = 0.6;

	/** Share of the picture a colour needs to be named at all. */
	private static final double ACCENT_SHARE = 0.04;

	/** Colour spread within the border, and distance between centre and border, in RGB units of 0..1. */
	private static final double PLAIN_BORDER = 0.1;

	private static final double STANDS_OUT = 0.25;

	private final ImageSettings images;

	LocalReferenceAnalyzer(ImageSettings images) {
		this.images = images;
	}

	@Override
	public Subject analyze(Path image) {
		Grid grid = read(image);
		double aspect = (double) grid.width() / grid.height();
		double edges = edgeEnergy(grid);
		String kind = kind(aspect, centreStandsOut(grid));
		return new Subject(kind, describe(grid, aspect, edges), embedding(grid));
	}

	private Grid read(Path file) {
		if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
			throw new IllegalArgumentException(file.getFileName() + " is not a readable file");
		}
		try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
			if (!readers.hasNext()) {
				throw new IllegalArgumentException(file.getFileName()
						+ " is not an image this server can analyse: PNG, JPEG, GIF and BMP are read, WebP is not");
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(in, true, true);
				int width = reader.getWidth(0);
				int height = reader.getHeight(0);
				images.requireWithin(new ImageSize(width, height));
				int step = Math.ceilDiv(Math.max(width, height), MAX_DECODED_SIDE);
				ImageReadParam param = reader.getDefaultReadParam();
				param.setSourceSubsampling(step, step, 0, 0);
				return Grid.of(reader.read(0, param), width, height);
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(file.getFileName() + " is not a readable image: " + ex.getMessage(), ex);
		}
	}

	private static List<Double> embedding(Grid grid) {
		double[] structure = structure(grid);
		double[] colour = colourHistogram(grid);
		double structureScale = 1 / Math.max(norm(structure), STRUCTURE_FLOOR);
		double[] vector = new double[structure.length + colour.length];
		for (int i = 0; i < structure.length; i++) {
			vector[i] = structure[i] * structureScale;
		}
		for (int i = 0; i < colour.length; i++) {
			vector[structure.length + i] = colour[i] * COLOUR_WEIGHT;
		}
		double length = norm(vector);
		List<Double> unit = new ArrayList<>(vector.length);
		for (double value : vector) {
			unit.add(value / length);
		}
		return unit;
	}

	/** The low-frequency DCT coefficients of the grey picture at 32x32, without the DC term. */
	private static double[] structure(Grid grid) {
		double[][] grey = new double[DCT_SIZE][DCT_SIZE];
		int factor = GRID / DCT_SIZE;
		for (int y = 0; y < GRID; y++) {
			for (int x = 0; x < GRID; x++) {
				grey[y / factor][x / factor] += grid.luminance(x, y) / (factor * factor);
			}
		}
		double[] coefficients = new double[LOW_FREQUENCIES * LOW_FREQUENCIES - 1];
		int next = 0;
		for (int v = 0; v < LOW_FREQUENCIES; v++) {
			for (int u = 0; u < LOW_FREQUENCIES; u++) {
				if (u == 0 && v == 0) {
					continue;
				}
				double sum = 0;
				for (int y = 0; y < DCT_SIZE; y++) {
					for (int x = 0; x < DCT_SIZE; x++) {
						sum += grey[y][x] * DCT_BASIS[u][x] * DCT_BASIS[v][y];
					}
				}
				coefficients[next++] = sum;
			}
		}
		return coefficients;
	}

	private static double[][] dctBasis() {
		double[][] basis = new double[LOW_FREQUENCIES][DCT_SIZE];
		for (int k = 0; k < LOW_FREQUENCIES; k++) {
			double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / DCT_SIZE);
			for (int n = 0; n < DCT_SIZE; n++) {
				basis[k][n] = scale * Math.cos(Math.PI * (2 * n + 1) * k / (2.0 * DCT_SIZE));
			}
		}
		return basis;
	}

	/** The square root of a soft 4x4x4 RGB histogram, which makes it a unit vector. */
	private static double[] colourHistogram(Grid grid) {
		double[] histogram = new double[BINS * BINS * BINS];
		double cellWeight = 1.0 / (GRID * GRID);
		for (int y = 0; y < GRID; y++) {
			for (int x = 0; x < GRID; x++) {
				double[] colour = grid.colour(x, y);
				for (int corner = 0; corner < 8; corner++) {
					double weight = cellWeight;
					int bin = 0;
					for (int channel = 0; channel < 3; channel++) {
						double position = colour[channel] * BINS - 0.5;
						int low = (int) Math.floor(position);
						double fraction = position - low;
						boolean high = (corner >> channel & 1) == 1;
						weight *= high ? fraction : 1 - fraction;
						bin = bin * BINS + Math.clamp(high ? low + 1 : low, 0, BINS - 1);
					}
					histogram[bin] += weight;
				}
			}
		}
		for (int i = 0; i < histogram.length; i++) {
			histogram[i] = Math.sqrt(histogram[i]);
		}
		return histogram;
	}

	/** The mean grey-level step between neighbouring cells: how much detail the picture holds. */
	private static double edgeEnergy(Grid grid) {
		double sum = 0;
		for (int y = 0; y < GRID; y++) {
			for (int x = 0; x < GRID; x++) {
				if (x + 1 < GRID) {
					sum += Math.abs(grid.luminance(x + 1, y) - grid.luminance(x, y));
				}
				if (y + 1 < GRID) {
					sum += Math.abs(grid.luminance(x, y + 1) - grid.luminance(x, y));
				}
			}
		}
		return sum / (2.0 * GRID * (GRID - 1));
	}

	/**
	 * Whether the middle of the picture differs in colour from a border of one colour: an object
	 * photographed on a plain background.
	 */
	private static boolean centreStandsOut(Grid grid) {
		int border = GRID / 8;
		List<double[]> borderCells = new ArrayList<>();
		List<double[]> centreCells = new ArrayList<>();
		for (int y = 0; y < GRID; y++) {
			for (int x = 0; x < GRID; x++) {
				if (x < border || y < border || x >= GRID - border || y >= GRID - border) {
					borderCells.add(grid.colour(x, y));
				}
				else if (x >= GRID / 4 && y >= GRID / 4 && x < GRID * 3 / 4 && y < GRID * 3 / 4) {
					centreCells.add(grid.colour(x, y));
				}
			}
		}
		double[] borderMean = mean(borderCells);
		double spread = Math.sqrt(borderCells.stream()
			.mapToDouble(cell -> squaredDistance(cell, borderMean))
			.average()
			.orElseThrow());
		return spread < PLAIN_BORDER && Math.sqrt(squaredDistance(mean(centreCells), borderMean)) > STANDS_OUT;
	}

	private static String kind(double aspect, boolean centreStandsOut) {
		if (aspect > WIDE_FRAME) {
			return "location";
		}
		if (aspect < 1 / SQUARE_TOLERANCE) {
			return "character";
		}
		if (centreStandsOut) {
			return "object";
		}
		return aspect > SQUARE_TOLERANCE ? "location" : "character";
	}

	/** For example "a bright, plain, mostly blue landscape image with white accents". */
	private static String describe(Grid grid, double aspect, double edges) {
		List<Map.Entry<String, Double>> colours = colourShares(grid);
		StringBuilder text = new StringBuilder("a ");
		double brightness = grid.meanLuminance();
		if (brightness < DARK) {
			text.append("dark, ");
		}
		else if (brightness > BRIGHT) {
			text.append("bright, ");
		}
		text.append(edges > BUSY_EDGES ? "busy, " : "plain, ");
		Map.Entry<String, Double> first = colours.getFirst();
		int accentsFrom = 1;
		if (first.getValue() >= 0.5 || colours.size() == 1) {
			text.append("mostly ").append(first.getKey());
		}
		else {
			text.append(first.getKey()).append(" and ").append(colours.get(1).getKey());
			accentsFrom = 2;
		}
		text.append(' ').append(orientation(aspect)).append(" image");
		List<String> accents = colours.subList(accentsFrom, Math.min(colours.size(), accentsFrom + 2))
			.stream()
			.map(Map.Entry::getKey)
			.toList();
		if (!accents.isEmpty()) {
			text.append(" with ").append(String.join(" and ", accents)).append(" accents");
		}
		return text.toString();
	}

	private static String orientation(double aspect) {
		if (aspect > SQUARE_TOLERANCE) {
			return "landscape";
		}
		return aspect < 1 / SQUARE_TOLERANCE ? "portrait" : "square";
	}

	/**
	 * Colour names that cover at least {@value #ACCENT_SHARE} of the grid, largest share first. Never
	 * empty: with twelve names, the largest covers at least a twelfth.
	 */
	private static List<Map.Entry<String, Double>> colourShares(Grid grid) {
		Map<String, Double> shares = new TreeMap<>();
		for (int y = 0; y < GRID; y++) {
			for (int x = 0; x < GRID; x++) {
				shares.merge(colourName(grid.colour(x, y)), 1.0 / (GRID * GRID), Double::sum);
			}
		}
		return shares.entrySet()
			.stream()
			.filter(entry -> entry.getValue() >= ACCENT_SHARE)
			.sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
			.toList();
	}

	/** The everyday name of an sRGB colour, by its hue, saturation and value. */
	private static String colourName(double[] rgb) {
		double max = Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
		double min = Math.min(rgb[0], Math.min(rgb[1], rgb[2]));
		double chroma = max - min;
		if (max < 0.2) {
			return "black";
		}
		double saturation = chroma / max;
		if (saturation < 0.2) {
			return max > 0.8 ? "white" : "grey";
		}
		double hue;
		if (max == rgb[0]) {
			hue = (360 + 60 * (rgb[1] - rgb[2]) / chroma) % 360;
		}
		else if (max == rgb[1]) {
			hue = 60 * ((rgb[2] - rgb[0]) / chroma + 2);
		}
		else {
			hue = 60 * ((rgb[0] - rgb[1]) / chroma + 4);
		}
		if (hue < 15 || hue >= 345) {
			return saturation < 0.5 && max > 0.8 ? "pink" : "red";
		}
		if (hue < 45) {
			return max < 0.6 ? "brown" : "orange";
		}
		if (hue < 70) {
			return "yellow";
		}
		if (hue < 165) {
			return "green";
		}
		if (hue < 190) {
			return "teal";
		}
		if (hue < 260) {
			return "blue";
		}
		return hue < 290 ? "purple" : "pink";
	}

	private static double[] mean(List<double[]> colours) {
		double[] sum = new double[3];
		for (double[] colour : colours) {
			for (int channel = 0; channel < 3; channel++) {
				sum[channel] += colour[channel] / colours.size();
			}
		}
		return sum;
	}

	private static double squaredDistance(double[] a, double[] b) {
		double sum = 0;
		for (int channel = 0; channel < 3; channel++) {
			sum += (a[channel] - b[channel]) * (a[channel] - b[channel]);
		}
		return sum;
	}

	private static double norm(double[] vector) {
		double sum = 0;
		for (double value : vector) {
			sum += value * value;
		}
		return Math.sqrt(sum);
	}

	/**
	 * The picture averaged down to {@value LocalReferenceAnalyzer#GRID} cells a side, as sRGB in
	 * 0..1, with the size of the original. Transparent pixels are laid over white, as a viewer shows
	 * them.
	 */
	private record Grid(int width, int height, double[][] rgb) {

		static Grid of(BufferedImage image, int width, int height) {
			int w = image.getWidth();
			int h = image.getHeight();
			int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
			double[][] rgb = new double[GRID * GRID][3];
			for (int cy = 0; cy < GRID; cy++) {
				int y0 = cy * h / GRID;
				int y1 = Math.max(y0 + 1, (cy + 1) * h / GRID);
				for (int cx = 0; cx < GRID; cx++) {
					int x0 = cx * w / GRID;
					int x1 = Math.max(x0 + 1, (cx + 1) * w / GRID);
					double[] cell = rgb[cy * GRID + cx];
					for (int y = y0; y < y1; y++) {
						for (int x = x0; x < x1; x++) {
							int argb = pixels[y * w + x];
							double alpha = (argb >>> 24) / 255.0;
							for (int channel = 0; channel < 3; channel++) {
								int value = argb >> (16 - 8 * channel) & 0xFF;
								cell[channel] += alpha * value / 255.0 + 1 - alpha;
							}
						}
					}
					int count = (y1 - y0) * (x1 - x0);
					for (int channel = 0; channel < 3; channel++) {
						cell[channel] /= count;
					}
				}
			}
			return new Grid(width, height, rgb);
		}

		double[] colour(int x, int y) {
			return rgb[y * GRID + x];
		}

		/** Rec. 601 luma of the cell, 0..1. */
		double luminance(int x, int y) {
			double[] cell = colour(x, y);
			return 0.299 * cell[0] + 0.587 * cell[1] + 0.114 * cell[2];
		}

		double meanLuminance() {
			double sum = 0;
			for (int y = 0; y < GRID; y++) {
				for (int x = 0; x < GRID; x++) {
					sum += luminance(x, y);
				}
			}
			return sum / (GRID * GRID);
		}

	}

}
