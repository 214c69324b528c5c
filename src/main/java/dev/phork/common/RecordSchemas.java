package dev.phork.common;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Makes the OpenAPI schemas of records say what Jackson does with them: the server writes every
 * field (nulls included), so a component is {@code required} and, when annotated
 * {@link Nullable}, may be {@code null}; everything here is null-marked, so no other field is.
 * A {@link NotBlank} string needs a character that is not whitespace, a {@link NotEmpty} list an
 * item (Bean Validation's {@code @Size} alone would say {@code minLength: 0}).
 */
@Component
public class RecordSchemas implements ModelConverter {

	/** Marks the schemas this converter finished, so one resolved twice is not changed twice; removed from the document. */
	public static final String DONE = "x-phork-record";

	private final Map<String, Class<?>> names = new java.util.concurrent.ConcurrentHashMap<>();

	@Override
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
		if (!chain.hasNext()) {
			return null;
		}
		Schema resolved = chain.next().resolve(type, context, chain);
		Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
		if (resolved == null || !raw.isRecord()) {
			return resolved;
		}
		Schema model = resolved;
		if (resolved.get$ref() != null) {
			String name = resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1);
			model = context.getDefinedModels().get(name);
		}
		String name = model == null ? null : model.getName();
		Class<?> other = name == null ? null : names.putIfAbsent(name, raw);
		if (other != null && !other.equals(raw)) {
			// springdoc would silently keep one of the two schemas for both.
			throw new IllegalStateException("Two records are both schema " + name + ": " + other.getName() + " and "
					+ raw.getName() + "; name one with @Schema(name = ...)");
		}
		if (model == null || model.getProperties() == null
				|| (model.getExtensions() != null && model.getExtensions().containsKey(DONE))) {
			return resolved;
		}
		Map<String, Schema> properties = model.getProperties();
		List<String> required = new ArrayList<>(model.getRequired() == null ? List.of() : model.getRequired());
		for (RecordComponent component : raw.getRecordComponents()) {
			Schema property = properties.get(component.getName());
			if (property == null) {
				continue;
			}
			if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)
					|| component.getAccessor().getAnnotatedReturnType().isAnnotationPresent(Nullable.class)) {
				properties.put(component.getName(), nullable(property));
			}
			else if (!required.contains(component.getName())) {
				required.add(component.getName());
			}
			if (has(component, NotEmpty.class) && property.getItems() != null) {
				property.setMinItems(Math.max(1, property.getMinItems() == null ? 0 : property.getMinItems()));
			}
			if (has(component, NotBlank.class) || (has(component, NotEmpty.class) && property.getItems() == null)) {
				property.setMinLength(Math.max(1, property.getMinLength() == null ? 0 : property.getMinLength()));
				if (property.getPattern() == null) {
					property.setPattern("\\S");
				}
			}
		}
		model.setRequired(required);
		model.addExtension(DONE, true);
		return resolved;
	}


	private static boolean has(RecordComponent component, Class<? extends java.lang.annotation.Annotation> annotation) {
		return component.getAnnotatedType().isAnnotationPresent(annotation)
				|| component.getAccessor().isAnnotationPresent(annotation);
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema nullable(Schema property) {
		if (property.get$ref() != null || property.getAllOf() != null) {
			Schema nullType = new Schema<>();
			nullType.addType("null");
			Schema either = new Schema<>();
			either.setAnyOf(List.of(property, nullType));
			return either;
		}
		Set<String> types = new LinkedHashSet<>(property.getTypes() == null ? Set.of() : property.getTypes());
		if (types.isEmpty() && property.getType() != null) {
			types.add(property.getType());
		}
		if (types.isEmpty()) {
			return property;
		}
		types.add("null");
		property.setTypes(types);
		if (property.getEnum() != null && !property.getEnum().contains(null)) {
			property.getEnum().add(null);
		}
		return property;
	}

}
