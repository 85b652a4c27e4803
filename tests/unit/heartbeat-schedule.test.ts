import { describe, expect, it } from "vitest";
import { heartbeatCron, nextHeartbeatAt } from "../../lib/runs/heartbeat-schedule";

describe("the heartbeat schedule", () => {
  it("says when its cron fires next, for the header's countdown", () => {
    const at = (iso: string) => new Date(iso);
    expect(heartbeatCron(10)).toBe("*/10 * * * *");
    expect(nextHeartbeatAt(10, at("2026-11-23T23:47:31.500Z")).toISOString()).toBe("2026-11-23T23:50:00.000Z");
    expect(nextHeartbeatAt(10, at("2026-11-23T23:50:00.000Z")).toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(nextHeartbeatAt(1, at("2026-11-23T23:59:59.000Z")).toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(heartbeatCron(120)).toBe("0 */2 * * *");
    expect(nextHeartbeatAt(120, at("2026-11-23T13:05:00.000Z")).toISOString()).toBe("2026-11-23T14:00:00.000Z");
    expect(nextHeartbeatAt(24 * 60, at("2026-11-23T13:05:00.000Z")).toISOString()).toBe("2026-11-24T00:00:00.000Z");
  });
});
