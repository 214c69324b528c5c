package dev.phork.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an operation answers, for the OpenAPI document (see docs/api.md, "The OpenAPI document").
 * {@code problems} are the codes of {@link ProblemCatalog} that this operation itself can answer;
 * the codes every operation of its shape can answer (validation, authentication, body parsing) are
 * added without being listed. {@code success} gives the success statuses of a method whose
 * {@code ResponseEntity} picks one at run time (the first is the usual one); {@code events} the
 * payload of each event of a {@code text/event-stream}; {@code media} the media types of a binary
 * success body.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ApiAnswers {

	String[] problems() default {};

	int[] success() default {};

	Class<?> events() default Void.class;

	String[] media() default {};

}
