package dev.letterbox.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.letterbox.examples.orders.JdbcOrderService;
import dev.letterbox.examples.orders.OrderLine;
import dev.letterbox.examples.orders.OrderSchema;
import dev.letterbox.examples.orders.OrderService;
import dev.letterbox.examples.shipping.EventOutOfOrderException;
import dev.letterbox.examples.shipping.ShipmentProjector;
import dev.letterbox.examples.shipping.ShipmentSchema;
import dev.letterbox.examples.shipping.ShippingConsumer;
import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import dev.letterbox.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The orders and shipping examples end to end: real PostgreSQL, the relay library, a real Kafka broker. */
class OrdersToShippingIT {

    private static final TestDatabase DB = PostgresServer.shared().createDatabase("OrdersToShippingIT");
    private static final KafkaServer KAFKA = KafkaServer.shared();
    private static final List<OrderLine> FIRST_LINES = List.of(new OrderLine("sku-1", 2, 500), new OrderLine("sku-2", 1, 700));
    private static final OrderLine LATER_LINE = new OrderLine("sku-3", 3, 100);

    private static DSLContext dsl;

    @BeforeAll
    static void createSchema() throws Exception {
        OutboxSchema.ofDefaults().migrate(DB.dataSource());
        OrderSchema.create(DB.dataSource());
        ShipmentSchema.create(DB.dataSource());
        dsl = DSL.using(DB.dataSource(), SQLDialect.POSTGRES);
    }

    @Test
    void shipsEveryPaidOrderOnceThoughRecordsAreDeliveredAgain() throws Exception {
        String topic = KAFKA.createTopic(KAFKA.uniqueTopic("outbox.event.order"), 3);
        Outbox outbox = Outbox.builder().build();
        OrderService jooqOrders = new OrderService(outbox);
        JdbcOrderService jdbcOrders = new JdbcOrderService(outbox);
        List<String> orders = List.of("flow-a", "flow-b", "flow-c", "flow-d");
        for (int i = 0; i < orders.size(); i++) {
            String id = orders.get(i);
            if (i % 2 == 0) {
                dsl.transaction(tx -> jooqOrders.placeOrder(tx.dsl(), id, "ada", FIRST_LINES));
                dsl.transaction(tx -> jooqOrders.addLines(tx.dsl(), id, List.of(LATER_LINE)));
                dsl.transaction(tx -> jooqOrders.markPaid(tx.dsl(), id));
            } else {
                try (Connection c = DB.dataSource().getConnection()) {
                    c.setAutoCommit(false);
                    jdbcOrders.placeOrder(c, id, "grace", FIRST_LINES);
                    c.commit();
                    jdbcOrders.addLines(c, id, List.of(LATER_LINE));
                    c.commit();
                    jdbcOrders.markPaid(c, id);
                    c.commit();
                }
            }
        }
        int events = orders.size() * 5;

        RelayConfig config = RelayConfig.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .topicTemplate(topic)
                .instanceId("orders-to-shipping-it")
                .build();
        try (Relay relay = Relay.builder().config(config).dataSource(DB.dataSource()).build();
             ShippingConsumer shipping = ShippingConsumer.start(
                     Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), DB.dataSource(),
                     "shipping-" + topic, topic)) {
            relay.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> shipping.applied() == events);

            shipping.rewind(events);
            await().atMost(Duration.ofSeconds(30)).until(() -> shipping.rewound() > 0
                    && shipping.duplicatesDropped() == shipping.rewound());

            assertThat(shipping.applied()).isEqualTo(events);
            assertThat(shipping.lastError()).isNull();
        }

        for (String id : orders) {
            Record shipment = dsl.fetchOne("select status, items, order_version from shipments where order_id = ?", id);
            assertThat(shipment).as("shipment of %s", id).isNotNull();
            assertThat(shipment.get("status", String.class)).isEqualTo("READY_TO_SHIP");
            assertThat(shipment.get("items", Integer.class)).isEqualTo(2 + 1 + 3);
            assertThat(shipment.get("order_version", Integer.class)).isEqualTo(5);
        }
        assertThat(dsl.fetchValue("select count(*) from outbox_inbox where consumer = ?", ShippingConsumer.CONSUMER))
                .isEqualTo((long) events);
    }

    @Test
    void rolledBackOrderLeavesNeitherRowNorEvent() {
        OrderService jooqOrders = new OrderService(Outbox.builder().build());

        assertThatThrownBy(() -> dsl.transaction(tx -> {
            jooqOrders.placeOrder(tx.dsl(), "rolled-back", "ada", FIRST_LINES);
            throw new IllegalStateException("payment declined");
        })).hasMessageContaining("payment declined");

        assertThat(dsl.fetchCount(DSL.table("orders"), DSL.field("id").eq("rolled-back"))).isZero();
        assertThat(dsl.fetchCount(DSL.table("outbox_event"), DSL.field("aggregateid").eq("rolled-back"))).isZero();
    }

    @Test
    void projectorRefusesAnEventThatSkipsAVersion() {
        ShipmentProjector projector = new ShipmentProjector();
        dsl.transaction(tx -> projector.apply(tx.dsl(), "OrderPlaced",
                json("{\"orderId\":\"gap\",\"version\":1,\"customer\":\"ada\"}")));

        assertThatThrownBy(() -> dsl.transaction(tx -> projector.apply(tx.dsl(), "OrderLineAdded",
                json("{\"orderId\":\"gap\",\"version\":3,\"sku\":\"x\",\"quantity\":1,\"priceCents\":1}"))))
                .isInstanceOf(EventOutOfOrderException.class)
                .hasMessageContaining("order gap: event version 3 arrived while the shipment is at version 1 (expected 2)");
        assertThat(projector.apply(dsl, "CustomerRenamed", json("{}"))).isEqualTo(ShipmentProjector.Outcome.IGNORED);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
