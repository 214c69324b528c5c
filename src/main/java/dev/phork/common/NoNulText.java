package dev.phork.common;

import org.springframework.stereotype.Component;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Text in a JSON body may not hold NUL (U+0000): PostgreSQL's text and jsonb cannot store it, so it
 * is refused as bad input (400 naming the field) instead of failing in the database. Spring Boot
 * registers this module with the application's JSON mapper.
 */
@Component
class NoNulText extends SimpleModule {

	NoNulText() {
		super("phork-no-nul-text");
		addDeserializer(String.class, new Deserializer());
	}

	private static final class Deserializer extends StringDeserializer {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) {
			String text = super.deserialize(parser, context);
			if (text != null && text.indexOf('\0') >= 0) {
				throw InvalidFormatException.from(parser, "text may not contain NUL (\\u0000)", text, String.class);
			}
			return text;
		}

	}

}
