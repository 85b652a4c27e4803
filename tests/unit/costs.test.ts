import { describe, expect, it } from "vitest";
import { estimateCost } from "../../lib/runs/costs";
import { runSettingsSchema } from "../../lib/runs/settings";

describe("cost estimates", () => {
  const prices = { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 };

  it("price cached input apart from the rest of the input", () => {
    // 1M input of which 400k cached, 100k output: 600k×2 + 400k×0.5 + 100k×8 = 1.2 + 0.2 + 0.8
    expect(estimateCost({ input: 1_000_000, cachedInput: 400_000, output: 100_000 }, prices)).toBe(2.2);
    expect(estimateCost({ input: 5000, output: 1000 }, prices)).toBe(0.018);
  });

  it("are unknown, not guessed, when the run states no prices", () => {
    expect(estimateCost({ input: 5000, output: 1000 }, null)).toBeNull();
    expect(runSettingsSchema.parse({}).prices).toBeNull();
    expect(runSettingsSchema.safeParse({ prices: { inputPerMillion: -1, cachedInputPerMillion: 0, outputPerMillion: 0 } }).success).toBe(false);
  });
});
