import { describe, expect, it } from "vitest";
import { defaultRunSettings, withDefaults } from "../../lib/runs/settings";
import { effortCapReason } from "../../lib/tasks/effort-cap";

describe("bounded effort", () => {
  it("lets a task go on under its token and turn caps, and says which cap stopped it", () => {
    const settings = { taskTokenCap: 10_000, taskTurnCap: 5 };
    expect(effortCapReason({ tokens: 9_999, turns: 4 }, settings)).toBeNull();
    expect(effortCapReason({ tokens: 10_000, turns: 0 }, settings)).toMatch(/^The task used 10000 model tokens, over its cap of 10000 \(run setting taskTokenCap\)/);
    expect(effortCapReason({ tokens: 0, turns: 5 }, settings)).toMatch(/^The task took 5 Codex turns, its cap \(run setting taskTurnCap\)/);
  });

  it("gives runs stored before the caps existed the defaults: two stall replacements, and token and turn caps", () => {
    const { stallReplacementCap: _cap, taskTokenCap, taskTurnCap, ...older } = defaultRunSettings();
    expect(withDefaults(older)).toMatchObject({ stallReplacementCap: 2, taskTokenCap, taskTurnCap });
    expect(withDefaults({ ...older, stallReplacementCap: 0 }).stallReplacementCap).toBe(0);
  });
});
