package dev.cumsum.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CumsumApiApplication {

	public static void main(String[] args) {
		SpringApplication.run(CumsumApiApplication.class, args);
	}

}
