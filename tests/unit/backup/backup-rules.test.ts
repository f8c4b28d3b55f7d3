import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { backupTime, newBackupId, restaurantRows } from "@/server/backup/format";
import { BACKUP_ALERT_AFTER_MS, backupAlert, formatBytes } from "@/server/backup/overview";
import { isoWeekKey, planRetention, type BackupListing } from "@/server/backup/retention";
import { parseKeyring } from "@/server/crypto/keyring";
import { openBytes, sealBytes } from "@/server/crypto/secrets";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("backup alert (none succeeded in 26 h)", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  it("alerts when there is no backup at all", () => {
    expect(backupAlert(null, now)).toEqual({ alert: true, reason: "none", hoursSince: null });
  });
  it("is quiet up to 26 hours and alerts after", () => {
    expect(backupAlert(new Date(now.getTime() - 25 * HOUR), now)).toEqual({ alert: false });
    expect(backupAlert(new Date(now.getTime() - BACKUP_ALERT_AFTER_MS), now)).toEqual({ alert: false });
    expect(backupAlert(new Date(now.getTime() - BACKUP_ALERT_AFTER_MS - 1), now)).toEqual({ alert: true, reason: "stale", hoursSince: 26 });
    expect(backupAlert(new Date(now.getTime() - 3 * DAY), now)).toMatchObject({ alert: true, hoursSince: 72 });
  });
});

describe("retention plan", () => {
  const listing = (at: Date, complete = true, suffix = "00000000"): BackupListing => ({
    id: `${at.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z")}-${suffix}`,
    at,
    complete,
    bytes: 1,
    objects: 1,
  });

  it("keeps the newest of each day, ISO week and month, up to the counts", () => {
    const now = new Date("2026-06-30T23:00:00Z");
    // Two backups a day (03:00 and 15:00) for 100 days.
    const backups = Array.from({ length: 200 }, (_, i) => listing(new Date(Date.UTC(2026, 5, 30, i % 2 ? 3 : 15) - Math.floor(i / 2) * DAY), true, i.toString(16).padStart(8, "0")));
    const { keep, remove } = planRetention(backups, { daily: 7, weekly: 4, monthly: 6 }, now);
    const kept = keep.map((id) => id.slice(0, 15)).sort();
    // 24–30 June at 15:00; 21 and 14 June (Sundays) at 15:00; 31 May, 30 April, 31 March at 15:00. The data start
    // on 23 March, so there are only four months.
    expect(kept).toEqual(
      ["20260331T150000", "20260430T150000", "20260531T150000", "20260614T150000", "20260621T150000", "20260624T150000", "20260625T150000", "20260626T150000", "20260627T150000", "20260628T150000", "20260629T150000", "20260630T150000"],
    );
    expect(keep.length + remove.length).toBe(200);
  });

  it("never counts an incomplete backup, keeps one that may still run, drops an abandoned one", () => {
    const now = new Date("2026-06-30T12:00:00Z");
    const running = listing(new Date(now.getTime() - HOUR), false, "aaaaaaaa");
    const abandoned = listing(new Date(now.getTime() - 3 * DAY), false, "bbbbbbbb");
    const good = listing(new Date(now.getTime() - 2 * HOUR));
    const { keep, remove } = planRetention([running, abandoned, good], { daily: 1, weekly: 0, monthly: 0 }, now);
    expect(keep.sort()).toEqual([good.id, running.id].sort());
    expect(remove).toEqual([abandoned.id]);
  });

  it("never removes the backup that just finished, even when an older one has an id of the same second", () => {
    const now = new Date("2026-06-30T12:00:00Z");
    const at = new Date(now.getTime() - HOUR);
    // Same second: the ids differ only by their random part, which sorts the older one first.
    const older = listing(at, true, "ffffffff");
    const justFinished = listing(at, true, "00000000");
    for (const order of [[older, justFinished], [justFinished, older]]) {
      const { keep, remove } = planRetention(order, { daily: 1, weekly: 0, monthly: 0 }, now, [justFinished.id]);
      expect(keep).toEqual([justFinished.id]);
      expect(remove).toEqual([older.id]);
    }
  });

  it("uses ISO weeks (Monday to Sunday; the week of 1 January can belong to the year before)", () => {
    expect(isoWeekKey(new Date("2026-06-28T23:59:00Z"))).toBe("2026-W26");
    expect(isoWeekKey(new Date("2026-06-29T00:00:00Z"))).toBe("2026-W27");
    expect(isoWeekKey(new Date("2027-01-01T12:00:00Z"))).toBe("2026-W53");
    expect(isoWeekKey(new Date("2024-12-30T12:00:00Z"))).toBe("2025-W01");
  });
});

describe("backup objects", () => {
  it("ids sort by time and carry it", () => {
    const at = new Date("2026-01-05T03:15:09.456Z");
    const id = newBackupId(at);
    expect(id).toMatch(/^20260105T031509Z-[0-9a-f]{8}$/);
    expect(backupTime(id)?.toISOString()).toBe("2026-01-05T03:15:09.000Z");
    expect(backupTime("../../etc")).toBeNull();
  });

  it("seals bytes so that a changed bit, another name or another key fails to open", () => {
    const keyring = parseKeyring(`a:${Buffer.alloc(32, 1).toString("base64")},b:${Buffer.alloc(32, 2).toString("base64")}`, "BACKUP_ENCRYPTION_KEYS");
    const data = Buffer.from("hello backups");
    const sealed = sealBytes(data, { keyring, aad: "id/x.bin" });
    expect(sealed.subarray(0, 5).toString("latin1")).toBe("RCS1\u0001");
    expect(sealed.includes(data)).toBe(false);
    expect(openBytes(sealed, { keyring, aad: "id/x.bin" })).toEqual(data);
    // Rotation: sealed with the newest key ("b"), still opened after another key is appended.
    const rotated = parseKeyring(`a:${Buffer.alloc(32, 1).toString("base64")},b:${Buffer.alloc(32, 2).toString("base64")},c:${Buffer.alloc(32, 3).toString("base64")}`, "BACKUP_ENCRYPTION_KEYS");
    expect(openBytes(sealed, { keyring: rotated, aad: "id/x.bin" })).toEqual(data);
    expect(() => openBytes(sealed, { keyring, aad: "id/y.bin" })).toThrow(/authentication failed/);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => openBytes(flipped, { keyring, aad: "id/x.bin" })).toThrow(/authentication failed/);
    const onlyA = parseKeyring(`a:${Buffer.alloc(32, 1).toString("base64")}`, "BACKUP_ENCRYPTION_KEYS");
    expect(() => openBytes(sealed, { keyring: onlyA, aad: "id/x.bin" })).toThrow(/unknown key id "b"/);
    expect(() => openBytes(Buffer.from("not sealed"), { keyring, aad: "x" })).toThrow(/bad header/);
  });

  it("keeps one restaurant's COPY rows, across chunk boundaries and multi-byte text", async () => {
    const a = "11111111-1111-4111-8111-111111111111";
    const b = "22222222-2222-4222-8222-222222222222";
    const text = `${a}\tПродукт\\tс табом\n${b}\tother\n${a}\tЁж\\n\n`;
    const bytes = Buffer.from(text, "utf8");
    // Split inside a Cyrillic letter and inside a line.
    const pieces = [bytes.subarray(0, 40), bytes.subarray(40, 41), bytes.subarray(41)];
    const out: Buffer[] = [];
    for await (const c of restaurantRows(Readable.from(pieces), 0, a)) out.push(Buffer.from(c as Buffer));
    expect(Buffer.concat(out).toString("utf8")).toBe(`${a}\tПродукт\\tс табом\n${a}\tЁж\\n\n`);
  });

  it("formats sizes for people", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(75 * 1024)).toBe("75 KiB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GiB");
  });
});
