package dev.letterbox.spring.it;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application the integration tests start: JDBC, JPA, jOOQ, Flyway, Spring Kafka and Actuator. */
@SpringBootApplication
public class TestApplication {

  /** A row of the application's own table, written through JPA. */
  @Entity
  @Table(name = "orders")
  public static class OrderEntity {
    @Id
    private String id;
    private int amount;

    protected OrderEntity() {
    }

    public OrderEntity(String id, int amount) {
      this.id = id;
      this.amount = amount;
    }
  }
}
