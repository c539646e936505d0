package dev.letterbox.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.relay.service.internal.ConfigCatalog;
import dev.letterbox.relay.service.internal.SpringBootKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationMetadataTest {

  @Test
  void checkedInMetadataMatchesTheKeyDeclarations() throws IOException {
    String checkedIn = Files.readString(Path.of(ConfigurationMetadata.FILE));
    assertThat(checkedIn)
        .as("META-INF/spring-configuration-metadata.json is generated from SpringBootKeys: regenerate it with"
            + " java -cp ... dev.letterbox.spring.internal.ConfigurationMetadata (or copy ConfigurationMetadata.json())")
        .isEqualTo(ConfigurationMetadata.json());
  }

  @Test
  void everySharedServiceKeyHasItsYamlPathUnderLetterbox() {
    String json = ConfigurationMetadata.json();
    SpringBootKeys.shared().forEach(k -> assertThat(json).contains("\"name\" : \"letterbox." + k.path() + "\""));
    assertThat(json).doesNotContain("letterbox.database.url").doesNotContain("letterbox.admin.port");
    assertThat(SpringBootKeys.shared()).hasSizeLessThan(ConfigCatalog.keys().size());
  }
}
