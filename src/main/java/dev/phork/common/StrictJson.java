package dev.phork.common;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON bodies are read as written: {@code "5000"} is not a number, {@code 5000.7} (or {@code 5000.0})
 * is not an integer, {@code 12345} is not text and {@code 1} not an enum's name, a key given twice is refused rather than the last one
 * winning, and {@code NaN}/{@code Infinity} are not JSON (Jackson's default, kept). On the money paths
 * a coerced value would be charged for a request the client did not mean.
 *
 * <p>Text may not hold NUL (U+0000), which PostgreSQL's text and jsonb cannot store, nor a lone UTF-16
 * surrogate ({@code "\ud800"}), which has no UTF-8 form and would be stored as {@code ?}. Both are
 * refused as bad input (400 naming the field) instead of failing in, or being mangled by, the database.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

	@Bean
	JsonMapperBuilderCustomizer strictJsonTypes() {
		return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
			.withCoercionConfig(LogicalType.Integer, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Float, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Textual, config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

	/** Registered by Spring Boot with the application's JSON mapper. */
	@Bean
	SimpleModule storableText() {
		SimpleModule module = new SimpleModule("phork-storable-text");
		module.addDeserializer(String.class, new StorableText());
		return module;
	}

	private static final class StorableText extends StringDeserializer {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) {
			String text = super.deserialize(parser, context);
			if (text == null) {
				return null;
			}
			if (text.indexOf('\0') >= 0) {
				throw InvalidFormatException.from(parser, "text may not contain NUL (\\u0000)", text, String.class);
			}
			if (hasLoneSurrogate(text)) {
				throw InvalidFormatException.from(parser, "text may not contain a lone UTF-16 surrogate", text, String.class);
			}
			return text;
		}

		private static boolean hasLoneSurrogate(String text) {
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
					i++;
				}
				else if (Character.isSurrogate(c)) {
					return true;
				}
			}
			return false;
		}

	}

}
