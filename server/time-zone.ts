/** The wall-clock fields (zero-padded strings, 24-hour) of `instant` in an IANA time zone, whatever the server's own. */
export function wallClockParts(instant: Date, timeZone: string): Record<"year" | "month" | "day" | "hour" | "minute" | "second", string> {
  const fmt = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  const out = { year: "", month: "", day: "", hour: "", minute: "", second: "" };
  for (const p of fmt.formatToParts(instant)) if (p.type in out) out[p.type as keyof typeof out] = p.value;
  return out;
}
