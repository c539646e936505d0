package dev.letterbox.examples.springorders;

import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders {"customer": "ada", "amount": 42}} places an order and answers its id; thread-safe. */
@RestController
public class OrderController {

  private final OrderService orders;

  OrderController(OrderService orders) {
    this.orders = orders;
  }

  /** The request body. */
  public record PlaceOrder(String customer, int amount) {
  }

  @PostMapping("/orders")
  public Map<String, UUID> place(@RequestBody PlaceOrder request) {
    return Map.of("id", orders.place(request.customer(), request.amount()));
  }
}
