package dev.phork;

import dev.phork.common.StartupFailure;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PhorkApplication {

	public static void main(String[] args) {
		try {
			SpringApplication.run(PhorkApplication.class, args);
		}
		catch (RuntimeException ex) {
			System.err.println("phork: " + StartupFailure.describe(ex));
			System.exit(1);
		}
	}

}
