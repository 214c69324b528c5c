package dev.phork.identity;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document: bearer authentication (a JWT or an API key) for every operation, and the
 * {@link Caller} parameter hidden, since it comes from the token, not from the request.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static {
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
	}

	@Bean
	OpenAPI phorkOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Phork API")
				.description("Git for generative video. Errors are RFC 9457 problems with a stable code.")
				.version("1"))
			.components(new Components().addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("A token from /auth/login or /auth/register, or an API key (phk_...)")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

}
