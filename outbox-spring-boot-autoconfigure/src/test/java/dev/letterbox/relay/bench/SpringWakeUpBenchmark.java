package dev.letterbox.relay.bench;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.spring.TransactionalOutbox;
import dev.letterbox.spring.it.TestApplication;
import dev.letterbox.testsupport.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Measures what the Spring Boot starter's wake-up at commit does to commit-to-ack latency: the same
 * open-loop load of single-event {@code @Transactional}-style transactions (TransactionTemplate +
 * TransactionalOutbox.append) against an embedded relay that only polls ({@code wake-on-commit=false})
 * and one that is also woken at each commit, at each rate, in one run, with the CPU split per process.
 *
 * <pre>
 * ./mvnw -o -q -pl outbox-spring-boot-autoconfigure -am test-compile exec:java -Dexec.skip=true \
 *   -Dspring.bench.skip=false -Dexec.mainClass=dev.letterbox.relay.bench.SpringWakeUpBenchmark \
 *   -Dexec.args="rates=100,1000 modes=poll,wake backoffs=1ms-100ms"
 * </pre>
 *
 * Arguments ({@code key=value}, all optional): {@code url}, {@code kafka} (as in {@link DrainBenchmark}),
 * {@code rates} (100,1000 events/s), {@code modes} (poll,wake), {@code backoffs} (idle backoff min-max
 * pairs; 1ms-100ms, the default), {@code warmup} (5s), {@code duration} (20s measured),
 * {@code warmupRun} (true: one unreported run first), {@code writers} (0: max(8, rate/200)).
 * Latency runs from the return of the writer's transaction (its commit, and the wake-up it sends) to
 * the record reaching a consumer in this JVM.
 */
public final class SpringWakeUpBenchmark {

  private SpringWakeUpBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args);
    List<Integer> rates = a.integers("rates", "100,1000");
    List<String> modes = a.list("modes", "poll,wake");
    List<String> backoffs = a.list("backoffs", "1ms-100ms");
    Duration warmup = a.duration("warmup", "5s");
    Duration duration = a.duration("duration", "20s");
    boolean warmupRun = a.bool("warmupRun", true);
    int writers = a.integer("writers", 0);
    String url = a.string("url", "");
    String kafka = a.string("kafka", "");
    String summary = a.checkedSummary();
    int code = 0;
    List<String> details = new ArrayList<>();
    try (BenchEnv env = BenchEnv.open("spring_wakeup_benchmark", url, kafka, 1024)) {
      env.printSetup("SpringWakeUpBenchmark", summary);
      System.out.printf(Locale.ROOT, "  load      : open loop, one event per transaction (TransactionTemplate +"
          + " TransactionalOutbox.append), %s writers; %s warm-up + %s measured per row%n",
          writers > 0 ? Integer.toString(writers) : "max(8, rate/200)", warmup, duration);
      System.out.printf(Locale.ROOT, "  latency   : transaction returned (commit + wake-up) -> record received by a"
          + " consumer (ms)%n%n");
      System.out.println("  mode  backoff      rate  achieved   p50    p99    max  lost  load");
      int run = 0;
      if (warmupRun) {
        System.out.println("  (warm-up run, not reported)");
        oneRun(env, ++run, "wake", backoffs.get(0), rates.get(rates.size() - 1), writers, warmup, duration, null);
      }
      for (String backoff : backoffs) {
        for (int rate : rates) {
          for (String mode : modes) {
            oneRun(env, ++run, mode, backoff, rate, writers, warmup, duration, details);
          }
        }
      }
    } catch (Exception e) {
      e.printStackTrace(System.out);
      code = 1;
    }
    System.out.println();
    details.forEach(d -> System.out.println("  " + d));
    System.out.flush();
    System.exit(code); // the in-process broker's threads are not daemons
  }

  private static void oneRun(BenchEnv env, int run, String mode, String backoff, int rate, int writers,
                             Duration warmup, Duration duration, List<String> details) throws Exception {
    env.truncate();
    String type = "wake" + run;
    String topic = env.topic("outbox.event." + type, 6);
    String[] mm = backoff.split("-");
    int threads = writers > 0 ? writers : Math.max(8, rate / 200);
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class).run(
        "--spring.datasource.url=" + env.db.jdbcUrl(), "--spring.datasource.username=" + env.db.username(),
        "--spring.datasource.password=" + (env.db.password() == null ? "" : env.db.password()),
        "--spring.datasource.hikari.maximum-pool-size=" + (threads + 10),
        "--spring.kafka.bootstrap-servers=" + env.kafka.bootstrapServers(),
        "--spring.kafka.listener.auto-startup=false", "--spring.flyway.enabled=false",
        "--spring.main.banner-mode=off", "--logging.level.root=warn",
        "--letterbox.relay.enabled=true", "--letterbox.relay.instance-id=bench-" + run,
        "--letterbox.relay.wake-on-commit=" + "wake".equals(mode),
        "--letterbox.relay.polling.idle-backoff-min=" + mm[0], "--letterbox.relay.polling.idle-backoff-max=" + mm[1]);
         TopicReader reader = new TopicReader(env.kafka, topic)) {
      dev.letterbox.relay.Relay relay = context.getBean(dev.letterbox.spring.internal.RelayLifecycle.class).relay();
      BenchEnv.await(Duration.ofSeconds(60), () -> relay.health().ready());
      TransactionalOutbox outbox = context.getBean(TransactionalOutbox.class);
      TransactionTemplate tx = context.getBean(TransactionTemplate.class);
      CpuMeter cpu = CpuMeter.start();
      Map<UUID, Long> commits = load(env, outbox, tx, type, rate, threads, warmup, duration);
      String cpuUse = cpu.since(commits.size());
      BenchEnv.await(Duration.ofSeconds(30), () -> reader.received().keySet().containsAll(commits.keySet()));
      long[] lat = new long[commits.size()];
      int n = 0;
      for (Map.Entry<UUID, Long> e : commits.entrySet()) {
        Long got = reader.received().get(e.getKey());
        if (got != null) {
          lat[n++] = got - e.getValue();
        }
      }
      lat = Arrays.copyOf(lat, n);
      Arrays.sort(lat);
      if (details == null) {
        return;
      }
      double achieved = commits.size() / (double) duration.toSeconds();
      System.out.printf(Locale.ROOT, "  %-5s %-12s %4d %9.0f %5.1f %6.1f %6.1f %5d  %s%n", mode, backoff, rate, achieved,
          LatencyBenchmark.ms(LatencyBenchmark.pct(lat, 50)), LatencyBenchmark.ms(LatencyBenchmark.pct(lat, 99)),
          LatencyBenchmark.ms(lat.length == 0 ? 0 : lat[lat.length - 1]), commits.size() - n, BenchEnv.loadAverage());
      details.add(String.format(Locale.ROOT, "run %d (%s, %s, %d/s): %s", run, mode, backoff, rate, cpuUse));
    }
  }

  /** Open-loop writers: event k is due at t0 + k/rate; returns the commit time of each measured event. */
  private static Map<UUID, Long> load(BenchEnv env, TransactionalOutbox outbox, TransactionTemplate tx, String type,
                                      int rate, int threads, Duration warmup, Duration duration)
      throws InterruptedException {
    Map<UUID, Long> commits = new ConcurrentHashMap<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long interval = 1_000_000_000L / rate;
    long t0 = System.nanoTime() + 50_000_000L;
    long measureFrom = t0 + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      int index = w;
      Thread t = new Thread(() -> {
        try {
          for (long k = index; ; k += threads) {
            long due = t0 + k * interval;
            if (due >= end) {
              return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            OutboxEvent e = OutboxEvent.builder().aggregateType(type).aggregateId("order-" + (k % 10_000))
                .eventType("OrderPlaced").payload(env.payloads.get((int) (k % env.payloads.size()))).build();
            tx.executeWithoutResult(s -> outbox.append(e));
            if (due >= measureFrom) {
              commits.put(e.id(), System.nanoTime());
            }
          }
        } catch (RuntimeException ex) {
          failure.compareAndSet(null, ex);
        }
      }, "bench-writer-" + w);
      writers.add(t);
      t.start();
    }
    for (Thread t : writers) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a writer failed: " + failure.get(), failure.get());
    }
    return commits;
  }
}
