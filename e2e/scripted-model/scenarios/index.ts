import type { ScenarioInput } from "../scenario";
import { HAND_OFF_SCENARIOS } from "./hand-off";
import { MANAGER_SCENARIOS } from "./manager";
import { WORKER_SCENARIOS } from "./workers";

/** Every scenario shipped with Foreman; the CLI (main.ts) loads these plus any JSON files given. */
export const SCENARIOS: ScenarioInput[] = [...WORKER_SCENARIOS, ...MANAGER_SCENARIOS, ...HAND_OFF_SCENARIOS];
