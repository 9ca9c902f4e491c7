package dev.outbound.crm.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.schedule.SendWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Each rule of the mailbox reservations, one at a time, against a real PostgreSQL. */
@SpringBootTest(classes = MailboxCapacityStoreTest.App.class)
@Tag("slow")
class MailboxCapacityStoreTest {

  @SpringBootApplication(scanBasePackages = "dev.outbound.crm")
  static class App {}

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  /** A Monday, 10:00 UTC. */
  static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Autowired JdbcClient jdbc;
  @Autowired MailboxCapacityStore store;
  @Autowired MailboxUsageStore usages;

  CapacityFixtures fx;
  long client;
  long campaign;

  @BeforeEach
  void data() {
    fx = new CapacityFixtures(jdbc);
    client = fx.client("agency-" + System.nanoTime());
    campaign = fx.campaign(client, "ACTIVE");
  }

  Reservation reserve(long mailbox, String domain, Integer limit, Instant now) {
    return reserve(fx.lead(client, campaign), mailbox, domain, limit, now, null);
  }

  Reservation reserve(
      long lead,
      long mailbox,
      String domain,
      Integer limit,
      Instant now,
      UnaryOperator<Instant> openAt) {
    return store.reserve(
        new ReservationRequest(client, campaign, lead, 1, mailbox, domain, limit, now, openAt));
  }

  @Test
  void reservesNowWhenTheMailboxIsIdle() {
    long mailbox = fx.mailbox(client, 10, 60, 0, "UTC");

    Reservation reservation = reserve(mailbox, "example.test", null, NOW);

    assertThat(reservation.slotAt()).isEqualTo(NOW);
    assertThat(reservation.mailboxId()).isEqualTo(mailbox);
    assertThat(reservation.status()).isEqualTo(ReservationStatus.RESERVED);
    assertThat(reservation.isDue(NOW)).isTrue();
  }

  @Test
  void returnsTheSameReservationWhenAskedAgain() {
    long mailbox = fx.mailbox(client, 10, 60, 0, "UTC");
    reserve(mailbox, "example.test", null, NOW);
    long lead = fx.lead(client, campaign);

    Reservation first = reserve(lead, mailbox, "example.test", null, NOW, null);
    Reservation again = reserve(lead, mailbox, "example.test", null, first.slotAt(), null);

    assertThat(first.slotAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(again).isEqualTo(first);
    assertThat(again.isDue(first.slotAt())).isTrue();
    assertThat(fx.counts(mailbox, LocalDate.of(2026, 6, 1))).containsExactly(2, 2);
  }

  @Test
  void keepsTheMinimumGapBetweenTheMailboxsSlots() {
    long mailbox = fx.mailbox(client, 10, 60, 0, "UTC");

    List<Instant> slots = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slots.add(reserve(mailbox, "example.test", null, NOW).slotAt());
    }
    // A lead due in the middle of the run still cannot go between two slots 60 s apart.
    slots.add(reserve(mailbox, "example.test", null, NOW.plusSeconds(30)).slotAt());

    assertThat(slots)
        .containsExactly(NOW, NOW.plusSeconds(60), NOW.plusSeconds(120), NOW.plusSeconds(180));
  }

  @Test
  void addsRandomJitterToTheGapButNeverLessThanTheGap() {
    long mailbox = fx.mailbox(client, 100, 10, 50, "UTC");

    List<Instant> slots = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      slots.add(reserve(mailbox, "example.test", null, NOW).slotAt());
    }

    // Later reservations may go into the holes that a long jitter left, so look at the slots in
    // time order: every gap is at least the minimum and at most the minimum plus the jitter.
    slots.sort(null);
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < slots.size(); i++) {
      gaps.add(Duration.between(slots.get(i - 1), slots.get(i)));
    }
    assertThat(gaps)
        .allSatisfy(
            gap -> assertThat(gap).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(60)));
    assertThat(gaps.stream().distinct().count()).isGreaterThan(20);
  }

  @Test
  void takesAHoleThatAReleaseLeftAndCountsItAgain() {
    long mailbox = fx.mailbox(client, 10, 60, 0, "UTC");
    reserve(mailbox, "example.test", null, NOW);
    long middle = fx.lead(client, campaign);
    reserve(middle, mailbox, "example.test", null, NOW, null);
    reserve(mailbox, "example.test", null, NOW);

    assertThat(store.release(client, campaign, middle, 1)).isTrue();
    assertThat(fx.counts(mailbox, LocalDate.of(2026, 6, 1))).containsExactly(2, 2);

    assertThat(reserve(mailbox, "example.test", null, NOW).slotAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(fx.counts(mailbox, LocalDate.of(2026, 6, 1))).containsExactly(3, 3);
  }

  @Test
  void doesNotMakeALeadWhoCanBeSentNowWaitBehindALaterWindow() {
    long mailbox = fx.mailbox(client, 10, 60, 0, "UTC");
    Instant afternoon = NOW.plus(Duration.ofHours(5));
    reserve(fx.lead(client, campaign), mailbox, "example.test", null, NOW, t -> max(t, afternoon));

    assertThat(reserve(mailbox, "example.test", null, NOW).slotAt()).isEqualTo(NOW);
    // A lead due a gap or more before the later slot goes before it; one due closer goes after.
    assertThat(reserve(mailbox, "example.test", null, afternoon.minusSeconds(90)).slotAt())
        .isEqualTo(afternoon.minusSeconds(90));
    assertThat(reserve(mailbox, "example.test", null, afternoon.minusSeconds(100)).slotAt())
        .isEqualTo(afternoon.plusSeconds(60));
  }

  @Test
  void waitsForTheLeadsSendWindow() {
    long mailbox = fx.mailbox(client, 10, 0, 0, "UTC");
    SendWindow window =
        SendWindow.of("MON,TUE,WED,THU,FRI", LocalTime.of(9, 0), LocalTime.of(17, 0), false);
    long lead = fx.lead(client, campaign);

    // 10:00 UTC is 06:00 in New York: the window opens at 09:00 there.
    Reservation reservation =
        reserve(lead, mailbox, "example.test", null, NOW, window.openAt(NEW_YORK, null));

    assertThat(reservation.slotAt())
        .isEqualTo(LocalDateTime.parse("2026-06-01T09:00").atZone(NEW_YORK).toInstant());
    assertThat(reservation.isDue(NOW)).isFalse();
  }

  @Test
  void movesToTheNextDayInTheMailboxsZoneWhenTheCapIsReached() {
    long mailbox = fx.mailbox(client, 3, 0, 0, "America/New_York");

    for (int i = 0; i < 3; i++) {
      assertThat(reserve(mailbox, "example.test", null, NOW).slotAt()).isEqualTo(NOW);
    }
    Reservation fourth = reserve(mailbox, "example.test", null, NOW);

    assertThat(fourth.slotAt())
        .isEqualTo(LocalDate.of(2026, 6, 2).atStartOfDay(NEW_YORK).toInstant());
    assertThat(fx.counts(mailbox, LocalDate.of(2026, 6, 1))).containsExactly(3, 3);
    assertThat(fx.counts(mailbox, LocalDate.of(2026, 6, 2))).containsExactly(1, 1);
  }

  @Test
  void rampsTheCapUpDuringTheWarmUp() {
    long mailbox = fx.mailbox(client, 100, 0, 0, "UTC");
    fx.warmup(mailbox, 2, 1, LocalDate.of(2026, 6, 1));

    List<LocalDate> days = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      days.add(
          LocalDate.ofInstant(
              reserve(mailbox, "example.test", null, NOW).slotAt(), ZoneId.of("UTC")));
    }

    assertThat(days)
        .containsExactly(
            LocalDate.of(2026, 6, 1),
            LocalDate.of(2026, 6, 1),
            LocalDate.of(2026, 6, 2),
            LocalDate.of(2026, 6, 2),
            LocalDate.of(2026, 6, 2),
            LocalDate.of(2026, 6, 3));
  }

  @Test
  void computesTheWarmUpCapPerDay() {
    MailboxLimits limits =
        new MailboxLimits(
            1,
            50,
            Duration.ZERO,
            Duration.ZERO,
            10,
            15,
            LocalDate.of(2026, 6, 1),
            ZoneId.of("UTC"));

    assertThat(limits.capOn(LocalDate.of(2026, 5, 20))).isEqualTo(10);
    assertThat(limits.capOn(LocalDate.of(2026, 6, 1))).isEqualTo(10);
    assertThat(limits.capOn(LocalDate.of(2026, 6, 3))).isEqualTo(40);
    assertThat(limits.capOn(LocalDate.of(2026, 6, 4))).isEqualTo(50);
    assertThat(limits.warmingUp(LocalDate.of(2026, 6, 3))).isTrue();
    assertThat(limits.warmingUp(LocalDate.of(2026, 6, 4))).isFalse();
  }

  @Test
  void limitsTheClientsEmailsToOneDomainPerRollingHourAcrossMailboxes() {
    long first = fx.mailbox(client, 100, 0, 0, "UTC");
    long second = fx.mailbox(client, 100, 0, 0, "UTC");

    assertThat(reserve(first, "Example.TEST", 2, NOW).slotAt()).isEqualTo(NOW);
    assertThat(reserve(second, "example.test", 2, NOW).slotAt()).isEqualTo(NOW);
    assertThat(reserve(second, "example.test", 2, NOW).slotAt()).isEqualTo(NOW.plusSeconds(3600));
    // Another domain, and the same domain without a limit, are not held back.
    assertThat(reserve(first, "other.test", 2, NOW).slotAt()).isEqualTo(NOW);
    assertThat(reserve(first, "example.test", null, NOW).slotAt()).isEqualTo(NOW);
  }

  @Test
  void doesNotOverfillTheHourOfALaterSlotToTheSameDomain() {
    long mailbox = fx.mailbox(client, 100, 0, 0, "UTC");
    Instant later = NOW.plus(Duration.ofMinutes(30));
    reserve(fx.lead(client, campaign), mailbox, "example.test", 1, NOW, t -> max(t, later));

    // Any slot within an hour of the later one would put two emails to the domain in one hour.
    assertThat(reserve(mailbox, "example.test", 1, NOW).slotAt())
        .isEqualTo(later.plus(Duration.ofHours(1)));
  }

  @Test
  void givesUpAfterTheHorizon() {
    long mailbox = fx.mailbox(client, 10, 0, 0, "UTC");
    long lead = fx.lead(client, campaign);

    assertThatThrownBy(
            () ->
                reserve(lead, mailbox, "example.test", null, NOW, t -> t.plus(Duration.ofDays(61))))
        .isInstanceOf(CapacityExhaustedException.class)
        .hasMessageContaining("no slot within 60 days");
  }

  @Test
  void refusesAnotherClientsMailbox() {
    long other = fx.client("other-" + System.nanoTime());
    long foreign = fx.mailbox(other, 10, 0, 0, "UTC");

    assertThatThrownBy(() -> reserve(foreign, "example.test", null, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not this client's");
  }

  @Test
  void marksUsedOnceAndNeverAReleasedOrForeignReservation() {
    long mailbox = fx.mailbox(client, 10, 0, 0, "UTC");
    long lead = fx.lead(client, campaign);
    Reservation reservation = reserve(lead, mailbox, "example.test", null, NOW, null);
    long other = fx.client("other-" + System.nanoTime());

    assertThat(store.markUsed(other, reservation.id())).isFalse();
    assertThat(store.markUsed(client, reservation.id())).isTrue();
    assertThat(store.markUsed(client, reservation.id())).isTrue();
    // A used reservation stays: it was sent.
    assertThat(store.release(client, campaign, lead, 1)).isFalse();
    assertThat(store.find(client, campaign, lead, 1).orElseThrow().status())
        .isEqualTo(ReservationStatus.USED);

    long stopped = fx.lead(client, campaign);
    Reservation released = reserve(stopped, mailbox, "example.test", null, NOW, null);
    store.releaseAllOf(client, stopped);
    assertThat(store.markUsed(client, released.id())).isFalse();
    assertThat(fx.reservationStatus(released.id())).isEqualTo("RELEASED");
  }

  @Test
  void releasesAllHeldSlotsOfAStoppedLeadAndReservesAfreshLater() {
    long mailbox = fx.mailbox(client, 10, 60, 0, "UTC");
    long lead = fx.lead(client, campaign);
    Reservation first = reserve(lead, mailbox, "example.test", null, NOW, null);
    store.markUsed(client, first.id());
    Reservation second =
        store.reserve(
            new ReservationRequest(
                client,
                campaign,
                lead,
                2,
                mailbox,
                "example.test",
                null,
                NOW.plusSeconds(5),
                null));
    Reservation third =
        store.reserve(
            new ReservationRequest(
                client,
                campaign,
                lead,
                3,
                mailbox,
                "example.test",
                null,
                NOW.plusSeconds(5),
                null));
    long other = fx.client("other-" + System.nanoTime());

    assertThat(store.releaseAllOf(other, lead)).isZero();
    assertThat(store.releaseAllOf(client, lead)).isEqualTo(2);
    assertThat(store.releaseAllOf(client, lead)).isZero();
    assertThat(fx.counts(mailbox, LocalDate.of(2026, 6, 1))).containsExactly(1, 1);

    // Reserving a released step again reuses its row with a new slot.
    Reservation again =
        store.reserve(
            new ReservationRequest(
                client,
                campaign,
                lead,
                3,
                mailbox,
                "example.test",
                null,
                NOW.plusSeconds(5),
                null));
    assertThat(again.id()).isEqualTo(third.id());
    assertThat(again.slotAt()).isEqualTo(second.slotAt());
    assertThat(fx.counts(mailbox, LocalDate.of(2026, 6, 1))).containsExactly(2, 2);
  }

  @Test
  void reportsTodaysUsageWithTheWarmUpAndTheNextFreeSlot() {
    long mailbox = fx.mailbox(client, 40, 60, 30, "UTC");
    fx.warmup(mailbox, 5, 5, LocalDate.of(2026, 5, 31));
    Reservation sent = reserve(mailbox, "example.test", null, NOW);
    store.markUsed(client, sent.id());
    reserve(mailbox, "example.test", null, NOW);

    MailboxUsage usage = usages.usage(client, mailbox, NOW).orElseThrow();

    assertThat(usage.day()).isEqualTo(LocalDate.of(2026, 6, 1));
    assertThat(usage.dailyCap()).isEqualTo(40);
    assertThat(usage.capToday()).isEqualTo(10);
    assertThat(usage.warmingUp()).isTrue();
    assertThat(usage.reservedToday()).isEqualTo(2);
    assertThat(usage.usedToday()).isEqualTo(1);
    assertThat(usage.remainingToday()).isEqualTo(8);
    assertThat(usage.nextFreeSlot()).isAfterOrEqualTo(NOW.plusSeconds(120));
    assertThat(usage.nextFreeSlot()).isBeforeOrEqualTo(NOW.plusSeconds(150));
    assertThat(usages.usage(fx.client("other-" + System.nanoTime()), mailbox, NOW)).isEmpty();
  }

  @Test
  void picksTheActivePoolMailboxWithTheLeastQueuedWorkForItsCap() {
    long small = fx.mailbox(client, 10, 0, 0, "UTC");
    long large = fx.mailbox(client, 100, 0, 0, "UTC");
    long paused = fx.mailbox(client, 1000, 0, 0, "UTC");
    fx.pause(paused);
    long pool = fx.campaign(client, "ACTIVE", small, large, paused);

    assertThat(store.pickMailbox(client, pool, NOW)).contains(small);
    reserve(small, "example.test", null, NOW);
    // 1 of 10 queued on the small one, none on the large one.
    assertThat(store.pickMailbox(client, pool, NOW)).contains(large);
    for (int i = 0; i < 5; i++) {
      reserve(large, "example.test", null, NOW);
    }
    // 1/10 against 5/100.
    assertThat(store.pickMailbox(client, pool, NOW)).contains(large);
    for (int i = 0; i < 10; i++) {
      reserve(large, "example.test", null, NOW);
    }
    assertThat(store.pickMailbox(client, pool, NOW)).contains(small);
    assertThat(store.pickMailbox(client, fx.campaign(client, "ACTIVE", paused), NOW)).isEmpty();
    assertThat(store.pickMailbox(fx.client("other-" + System.nanoTime()), pool, NOW)).isEmpty();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
