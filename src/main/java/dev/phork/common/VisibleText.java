package dev.phork.common;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Text that says something: at least one character that is not whitespace, a separator, a control
 * or an invisible format character (zero-width space and joiners, soft hyphen, byte-order mark).
 * {@code @NotBlank} lets {@code "\u200b\u200b"} through, and a prompt like that is charged for a
 * picture of nothing. {@code null} is valid (pair with {@code @NotNull} where the text is required).
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = VisibleText.Validator.class)
public @interface VisibleText {

	String message() default "must contain a visible character, not only spaces or invisible characters";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	final class Validator implements ConstraintValidator<VisibleText, String> {

		/** Whether the text has a character a reader would see. */
		public static boolean visible(String text) {
			return text.codePoints().anyMatch(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)
					&& Character.getType(c) != Character.FORMAT && Character.getType(c) != Character.CONTROL);
		}

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			return value == null || visible(value);
		}

	}

}
