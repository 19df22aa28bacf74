package org.creneau.availability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.creneau.availability.Slot;
import org.creneau.directory.BookingRules;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.TimeWindow;
import org.junit.jupiter.api.Test;

class SlotComputationTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant NOW = Instant.parse("2027-01-01T00:00:00Z");
    private static final UUID PRACTITIONER = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID SITE = UUID.fromString("00000000-0000-0000-0000-000000000051");
    private static final UUID OTHER_SITE = UUID.fromString("00000000-0000-0000-0000-000000000052");
    private static final UUID MOTIVE_ID = UUID.fromString("00000000-0000-0000-0000-0000000000e1");
    private static final UUID OTHER_MOTIVE_ID = UUID.fromString("00000000-0000-0000-0000-0000000000e2");
    private static final Map<UUID, ZoneId> ZONES = Map.of(SITE, PARIS, OTHER_SITE, PARIS);

    private static final BookingRules OPEN_RULES =
            new BookingRules(Duration.ZERO, Duration.ofDays(3650), Duration.ZERO);

    private static VisitMotive motive(Duration duration, BookingRules rules) {
        return new VisitMotive(
                MOTIVE_ID, UUID.randomUUID(), PRACTITIONER, "Consultation", duration, true, true, null, rules);
    }

    private static VisitMotive halfHour() {
        return motive(Duration.ofMinutes(30), OPEN_RULES);
    }

    private static OpeningRange range(UUID site, DayOfWeek weekday, int startHour, int endHour) {
        return range(site, weekday, startHour, endHour, LocalDate.of(2000, 1, 1), null, Set.of(MOTIVE_ID));
    }

    private static OpeningRange range(
            UUID site,
            DayOfWeek weekday,
            int startHour,
            int endHour,
            LocalDate validFrom,
            LocalDate validUntil,
            Set<UUID> motiveIds) {
        return new OpeningRange(
                UUID.randomUUID(),
                PRACTITIONER,
                site,
                weekday,
                LocalTime.of(startHour, 0),
                LocalTime.of(endHour, 0),
                validFrom,
                validUntil,
                motiveIds);
    }

    private static TimeWindow window(String from, String to) {
        return new TimeWindow(Instant.parse(from), Instant.parse(to));
    }

    private static BusyPeriod busy(String start, String end) {
        return new BusyPeriod(PRACTITIONER, Instant.parse(start), Instant.parse(end));
    }

    private static List<Instant> starts(List<Slot> slots) {
        return slots.stream().map(Slot::start).toList();
    }

    private static List<Instant> instants(String... values) {
        return Arrays.stream(values).map(Instant::parse).toList();
    }

    /** The six Monday-morning slots of 2027-03-22, a Monday in winter time (UTC+1). */
    private static List<Instant> mondayMorning() {
        return instants(
                "2027-03-22T08:00:00Z",
                "2027-03-22T08:30:00Z",
                "2027-03-22T09:00:00Z",
                "2027-03-22T09:30:00Z",
                "2027-03-22T10:00:00Z",
                "2027-03-22T10:30:00Z");
    }

    private static List<Slot> mondayMorningSlots(List<BusyPeriod> busy) {
        return SlotComputation.freeSlots(
                halfHour(),
                List.of(range(SITE, DayOfWeek.MONDAY, 9, 12)),
                ZONES,
                busy,
                window("2027-03-22T00:00:00Z", "2027-03-23T00:00:00Z"),
                NOW,
                null);
    }

    @Test
    void weeklyRangeStartsAtEightUtcInWinterTime() {
        List<Slot> slots = SlotComputation.freeSlots(
                halfHour(),
                List.of(range(SITE, DayOfWeek.MONDAY, 9, 12)),
                ZONES,
                List.of(),
                window("2027-03-20T00:00:00Z", "2027-03-27T00:00:00Z"),
                NOW,
                null);

        assertThat(starts(slots)).containsExactlyElementsOf(mondayMorning());
        assertThat(slots).allSatisfy(s -> {
            assertThat(s.start().atZone(PARIS).toLocalDate()).isEqualTo(LocalDate.of(2027, 3, 22));
            assertThat(Duration.between(s.start(), s.end())).isEqualTo(Duration.ofMinutes(30));
            assertThat(s.siteId()).isEqualTo(SITE);
            assertThat(s.motiveId()).isEqualTo(MOTIVE_ID);
        });
    }

    @Test
    void weeklyRangeStartsAtSevenUtcInSummerTime() {
        List<Slot> slots = SlotComputation.freeSlots(
                halfHour(),
                List.of(range(SITE, DayOfWeek.MONDAY, 9, 12)),
                ZONES,
                List.of(),
                window("2027-03-27T00:00:00Z", "2027-04-03T00:00:00Z"),
                NOW,
                null);

        assertThat(starts(slots))
                .containsExactlyElementsOf(instants(
                        "2027-03-29T07:00:00Z",
                        "2027-03-29T07:30:00Z",
                        "2027-03-29T08:00:00Z",
                        "2027-03-29T08:30:00Z",
                        "2027-03-29T09:00:00Z",
                        "2027-03-29T09:30:00Z"));
        assertThat(slots)
                .allSatisfy(s -> assertThat(s.start().atZone(PARIS).toLocalTime())
                        .isBetween(LocalTime.of(9, 0), LocalTime.of(11, 30)));
    }

    @Test
    void springForwardDayYieldsOnlySlotsThatReallyExist() {
        List<Slot> slots = SlotComputation.freeSlots(
                halfHour(),
                List.of(range(SITE, DayOfWeek.SUNDAY, 1, 4)),
                ZONES,
                List.of(),
                window("2027-03-27T12:00:00Z", "2027-03-28T12:00:00Z"),
                NOW,
                null);

        assertThat(starts(slots))
                .containsExactlyElementsOf(instants(
                        "2027-03-28T00:00:00Z",
                        "2027-03-28T00:30:00Z",
                        "2027-03-28T01:00:00Z",
                        "2027-03-28T01:30:00Z"));
        assertThat(slots.stream().map(s -> s.start().atZone(PARIS).toLocalTime()))
                .containsExactly(LocalTime.of(1, 0), LocalTime.of(1, 30), LocalTime.of(3, 0), LocalTime.of(3, 30));
        assertThat(slots).allSatisfy(s -> {
            assertThat(Duration.between(s.start(), s.end())).isEqualTo(Duration.ofMinutes(30));
            LocalTime local = s.start().atZone(PARIS).toLocalTime();
            assertThat(local.isBefore(LocalTime.of(2, 0)) || !local.isBefore(LocalTime.of(3, 0)))
                    .as("slot at %s starts inside the 02:00-03:00 gap", local)
                    .isTrue();
        });
    }

    @Test
    void fallBackDayYieldsEightHalfHourSlotsOverFourRealHours() {
        List<Slot> slots = SlotComputation.freeSlots(
                halfHour(),
                List.of(range(SITE, DayOfWeek.SUNDAY, 1, 4)),
                ZONES,
                List.of(),
                window("2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"),
                null);

        assertThat(starts(slots))
                .containsExactlyElementsOf(instants(
                        "2026-10-24T23:00:00Z",
                        "2026-10-24T23:30:00Z",
                        "2026-10-25T00:00:00Z",
                        "2026-10-25T00:30:00Z",
                        "2026-10-25T01:00:00Z",
                        "2026-10-25T01:30:00Z",
                        "2026-10-25T02:00:00Z",
                        "2026-10-25T02:30:00Z"));
        assertThat(starts(slots)).doesNotHaveDuplicates();
        assertThat(slots)
                .allSatisfy(
                        s -> assertThat(Duration.between(s.start(), s.end())).isEqualTo(Duration.ofMinutes(30)));
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).isEqualTo(slots.get(i - 1).end());
        }
        assertThat(slots.get(slots.size() - 1).end()).isEqualTo(Instant.parse("2026-10-25T03:00:00Z"));
    }

    @Test
    void appointmentRemovesExactlyItsSlot() {
        List<Slot> slots = mondayMorningSlots(List.of(busy("2027-03-22T09:00:00Z", "2027-03-22T09:30:00Z")));

        assertThat(starts(slots))
                .containsExactlyElementsOf(instants(
                        "2027-03-22T08:00:00Z",
                        "2027-03-22T08:30:00Z",
                        "2027-03-22T09:30:00Z",
                        "2027-03-22T10:00:00Z",
                        "2027-03-22T10:30:00Z"));
    }

    @Test
    void absenceSpanningSeveralSlotsRemovesAllOfThem() {
        List<Slot> slots = mondayMorningSlots(List.of(busy("2027-03-22T08:30:00Z", "2027-03-22T10:00:00Z")));

        assertThat(starts(slots))
                .containsExactlyElementsOf(
                        instants("2027-03-22T08:00:00Z", "2027-03-22T10:00:00Z", "2027-03-22T10:30:00Z"));
    }

    @Test
    void busyPeriodStartingMidSlotRemovesTheSlotsItTouches() {
        List<Slot> slots = mondayMorningSlots(List.of(busy("2027-03-22T08:45:00Z", "2027-03-22T09:15:00Z")));

        assertThat(starts(slots))
                .containsExactlyElementsOf(instants(
                        "2027-03-22T08:00:00Z",
                        "2027-03-22T09:30:00Z",
                        "2027-03-22T10:00:00Z",
                        "2027-03-22T10:30:00Z"));
    }

    @Test
    void severalBusyPeriodsEachRemoveTheirSlots() {
        List<Slot> slots = mondayMorningSlots(List.of(
                busy("2027-03-22T10:30:00Z", "2027-03-22T11:00:00Z"),
                busy("2027-03-22T08:00:00Z", "2027-03-22T08:10:00Z"),
                busy("2027-03-22T08:05:00Z", "2027-03-22T08:20:00Z"),
                busy("2027-03-22T09:20:00Z", "2027-03-22T09:40:00Z")));

        assertThat(starts(slots)).containsExactlyElementsOf(instants("2027-03-22T08:30:00Z", "2027-03-22T10:00:00Z"));
    }

    @Test
    void busyPeriodTouchingSlotEdgesDoesNotRemoveNeighbours() {
        List<Slot> slots = mondayMorningSlots(List.of(busy("2027-03-22T07:00:00Z", "2027-03-22T08:00:00Z")));

        assertThat(starts(slots)).containsExactlyElementsOf(mondayMorning());
    }

    @Test
    void slotsStartingBeforeMinimumNoticeAreExcluded() {
        Instant now = Instant.parse("2027-03-22T07:00:00Z");
        VisitMotive motive = motive(
                Duration.ofMinutes(30), new BookingRules(Duration.ofHours(2), Duration.ofDays(365), Duration.ZERO));

        List<Slot> slots = SlotComputation.freeSlots(
                motive,
                List.of(range(SITE, DayOfWeek.MONDAY, 9, 12)),
                ZONES,
                List.of(),
                window("2027-03-22T00:00:00Z", "2027-03-23T00:00:00Z"),
                now,
                null);

        // now + 2h = 09:00Z: 09:00Z itself is still bookable, the two before it are not.
        assertThat(starts(slots))
                .containsExactlyElementsOf(instants(
                        "2027-03-22T09:00:00Z",
                        "2027-03-22T09:30:00Z",
                        "2027-03-22T10:00:00Z",
                        "2027-03-22T10:30:00Z"));
    }

    @Test
    void slotsStartingAfterHorizonAreExcluded() {
        Instant now = Instant.parse("2027-03-21T09:00:00Z");
        VisitMotive motive =
                motive(Duration.ofMinutes(30), new BookingRules(Duration.ZERO, Duration.ofHours(24), Duration.ZERO));

        List<Slot> slots = SlotComputation.freeSlots(
                motive,
                List.of(range(SITE, DayOfWeek.MONDAY, 9, 12)),
                ZONES,
                List.of(),
                window("2027-03-21T00:00:00Z", "2027-03-30T00:00:00Z"),
                now,
                null);

        // now + 24h = 2027-03-22T09:00Z: that start is kept, later ones and the next Monday are not.
        assertThat(starts(slots))
                .containsExactlyElementsOf(
                        instants("2027-03-22T08:00:00Z", "2027-03-22T08:30:00Z", "2027-03-22T09:00:00Z"));
    }

    @Test
    void onlySiteKeepsOnlyThatSitesSlots() {
        List<OpeningRange> ranges =
                List.of(range(SITE, DayOfWeek.MONDAY, 9, 12), range(OTHER_SITE, DayOfWeek.MONDAY, 14, 16));
        TimeWindow window = window("2027-03-22T00:00:00Z", "2027-03-23T00:00:00Z");

        List<Slot> all = SlotComputation.freeSlots(halfHour(), ranges, ZONES, List.of(), window, NOW, null);
        List<Slot> other = SlotComputation.freeSlots(halfHour(), ranges, ZONES, List.of(), window, NOW, OTHER_SITE);

        assertThat(all).hasSize(10);
        assertThat(other).hasSize(4).allSatisfy(s -> assertThat(s.siteId()).isEqualTo(OTHER_SITE));
        assertThat(starts(other))
                .containsExactlyElementsOf(instants(
                        "2027-03-22T13:00:00Z",
                        "2027-03-22T13:30:00Z",
                        "2027-03-22T14:00:00Z",
                        "2027-03-22T14:30:00Z"));
    }

    @Test
    void rangeWithoutTheMotiveYieldsNothing() {
        List<Slot> slots = SlotComputation.freeSlots(
                halfHour(),
                List.of(range(SITE, DayOfWeek.MONDAY, 9, 12, LocalDate.of(2000, 1, 1), null, Set.of(OTHER_MOTIVE_ID))),
                ZONES,
                List.of(),
                window("2027-03-22T00:00:00Z", "2027-03-23T00:00:00Z"),
                NOW,
                null);

        assertThat(slots).isEmpty();
    }

    @Test
    void validFromAndValidUntilBoundTheDates() {
        OpeningRange bounded = range(
                SITE, DayOfWeek.MONDAY, 9, 10, LocalDate.of(2027, 3, 8), LocalDate.of(2027, 3, 22), Set.of(MOTIVE_ID));

        List<Slot> slots = SlotComputation.freeSlots(
                halfHour(),
                List.of(bounded),
                ZONES,
                List.of(),
                window("2027-02-27T00:00:00Z", "2027-04-10T00:00:00Z"),
                NOW,
                null);

        // Mondays in the window: 03-01 (before validFrom), 03-08, 03-15, 03-22 (validUntil, inclusive),
        // 03-29 and 04-05 (after validUntil).
        assertThat(slots.stream()
                        .map(s -> s.start().atZone(PARIS).toLocalDate())
                        .distinct())
                .containsExactly(LocalDate.of(2027, 3, 8), LocalDate.of(2027, 3, 15), LocalDate.of(2027, 3, 22));
        assertThat(slots).hasSize(6);
    }
}
