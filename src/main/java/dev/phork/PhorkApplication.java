package dev.phork;

import dev.phork.common.StartupFailure;
import dev.phork.demo.Demo;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * {@code java -jar phork.jar [serve|worker|demo] [options]}: {@code serve} (the default) runs the
 * API and workers, {@code worker} runs workers only (any number of such processes may share one
 * database), {@code demo} runs the Phase 1 walk-through against a server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PhorkApplication {

	public static void main(String[] args) {
		String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "serve";
		String[] rest = command.equals("serve") && (args.length == 0 || args[0].startsWith("-")) ? args
				: Arrays.copyOfRange(args, 1, args.length);
		try {
			switch (command) {
				case "serve" -> SpringApplication.run(PhorkApplication.class, rest);
				case "worker" -> new SpringApplicationBuilder(PhorkApplication.class).web(WebApplicationType.NONE)
					.properties("phork.worker.enabled=true", "spring.main.keep-alive=true")
					.run(withFirst("--phork.database.wait-at-start=true", rest));
				case "demo" -> System.exit(Demo.run(rest, PhorkApplication.class));
				default -> {
					System.err.println("phork: unknown command '" + command + "'; use serve, worker or demo.");
					System.exit(2);
				}
			}
		}
		catch (RuntimeException ex) {
			System.err.println("phork: " + StartupFailure.describe(ex));
			System.exit(1);
		}
	}

	/** {@code args} after {@code argument}: an argument on the command line wins over every property source. */
	private static String[] withFirst(String argument, String[] args) {
		String[] all = new String[args.length + 1];
		all[0] = argument;
		System.arraycopy(args, 0, all, 1, args.length);
		return all;
	}

}
