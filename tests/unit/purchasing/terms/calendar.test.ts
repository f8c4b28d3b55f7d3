import { describe, expect, it } from "vitest";
import { deliveryAfter, isoWeekday, nextDelivery, zonedInstant, type DeliveryCalendar } from "@/server/purchasing/terms/calendar";

const weekdays: DeliveryCalendar = { deliveryWeekdays: [2, 4], cutoffTime: "14:00", leadDays: 1, holidays: [] };

describe("supplier delivery calendar", () => {
  it("knows weekdays", () => {
    expect(isoWeekday("2026-12-07")).toBe(1);
    expect(isoWeekday("2026-12-06")).toBe(7);
  });

  it("takes an order before the cut-off the same day and delivers on the next delivery weekday after the lead time", () => {
    // Monday 7 Dec 2026, 10:00 in Moscow (UTC+3): taken Monday, earliest Tuesday, Tuesday is a delivery day.
    expect(nextDelivery(weekdays, new Date("2026-12-07T07:00:00Z"), "Europe/Moscow")).toEqual({
      orderDay: "2026-12-07",
      cutoffAt: new Date("2026-12-07T11:00:00Z"),
      deliveryDate: "2026-12-08",
    });
  });

  it("counts an order after the cut-off for the next day", () => {
    // Monday 14:00 exactly in Moscow: the cut-off has passed, taken Tuesday, earliest Wednesday → Thursday.
    expect(nextDelivery(weekdays, new Date("2026-12-07T11:00:00Z"), "Europe/Moscow")).toMatchObject({ orderDay: "2026-12-08", deliveryDate: "2026-12-10" });
    expect(nextDelivery(weekdays, new Date("2026-12-07T10:59:59Z"), "Europe/Moscow")?.deliveryDate).toBe("2026-12-08");
  });

  it("uses the restaurant's local date, not UTC's", () => {
    // 23:30 UTC Sunday is already Monday 08:30 in Vladivostok (UTC+10).
    expect(nextDelivery(weekdays, new Date("2026-12-06T22:30:00Z"), "Asia/Vladivostok")?.orderDay).toBe("2026-12-07");
  });

  it("keeps the cut-off at local wall time across a DST change", () => {
    // Berlin moves to summer time on Sunday 29 March 2026: 14:00 is 13:00Z on Saturday and 12:00Z on Monday.
    const daily: DeliveryCalendar = { deliveryWeekdays: [], cutoffTime: "14:00", leadDays: 1, holidays: [] };
    expect(zonedInstant("2026-03-28", "14:00", "Europe/Berlin")).toEqual(new Date("2026-03-28T13:00:00Z"));
    expect(zonedInstant("2026-03-30", "14:00", "Europe/Berlin")).toEqual(new Date("2026-03-30T12:00:00Z"));
    // Saturday 14:30 local (13:30Z) is after the cut-off: taken Sunday (the change day), delivered Monday.
    expect(nextDelivery(daily, new Date("2026-03-28T13:30:00Z"), "Europe/Berlin")).toEqual({
      orderDay: "2026-03-29",
      cutoffAt: new Date("2026-03-29T12:00:00Z"),
      deliveryDate: "2026-03-30",
    });
    // Sunday 13:30 local is 11:30Z after the change: still before the cut-off (12:00Z), though before it was 13:00Z.
    expect(nextDelivery(daily, new Date("2026-03-29T11:30:00Z"), "Europe/Berlin")?.orderDay).toBe("2026-03-29");
    expect(nextDelivery(daily, new Date("2026-03-29T12:00:00Z"), "Europe/Berlin")?.orderDay).toBe("2026-03-30");
    // And back in autumn (25 October 2026): 14:00 is 13:00Z again.
    expect(zonedInstant("2026-10-25", "14:00", "Europe/Berlin")).toEqual(new Date("2026-10-25T13:00:00Z"));
  });

  it("resolves a wall time the clocks skip to the time after the jump", () => {
    expect(zonedInstant("2026-03-29", "02:30", "Europe/Berlin")).toEqual(new Date("2026-03-29T01:30:00Z"));
  });

  it("skips holidays for taking and for delivering orders", () => {
    const newYear: DeliveryCalendar = { deliveryWeekdays: [1, 2, 3, 4, 5], cutoffTime: "12:00", leadDays: 1, holidays: ["2027-01-01", "2027-01-04"] };
    // Thursday 31 Dec 2026, 15:00 Moscow: after the cut-off → Friday 1 Jan, a holiday → taken Saturday 2 Jan;
    // earliest Sunday, not a weekday; Monday 4 Jan is a holiday → Tuesday 5 Jan.
    expect(nextDelivery(newYear, new Date("2026-12-31T12:00:00Z"), "Europe/Moscow")).toMatchObject({ orderDay: "2027-01-02", deliveryDate: "2027-01-05" });
    expect(nextDelivery(newYear, new Date("2026-12-31T08:00:00Z"), "Europe/Moscow")).toMatchObject({ orderDay: "2026-12-31", deliveryDate: "2027-01-05" });
  });

  it("finds the delivery after next and gives up on a calendar without any delivery day", () => {
    expect(deliveryAfter(weekdays, "2026-12-08")).toBe("2026-12-10");
    expect(deliveryAfter(weekdays, "2026-12-10")).toBe("2026-12-15");
    const never: DeliveryCalendar = { deliveryWeekdays: [1], cutoffTime: null, leadDays: 0, holidays: Array.from({ length: 400 }, (_, i) => new Date(Date.UTC(2026, 11, 1 + i)).toISOString().slice(0, 10)) };
    expect(nextDelivery(never, new Date("2026-12-01T08:00:00Z"), "UTC")).toBeNull();
  });

  it("without a cut-off takes the order on the local day and honours a zero lead time", () => {
    const sameDay: DeliveryCalendar = { deliveryWeekdays: [], cutoffTime: null, leadDays: 0, holidays: [] };
    expect(nextDelivery(sameDay, new Date("2026-12-07T20:00:00Z"), "Europe/Moscow")).toEqual({ orderDay: "2026-12-07", cutoffAt: null, deliveryDate: "2026-12-07" });
  });
});
