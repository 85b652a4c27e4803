import type { ScenarioInput } from "../scenario";
import { ADVERSARY_SCENARIOS } from "./adversaries";
import { HAND_OFF_SCENARIOS } from "./hand-off";
import { JOURNEY_SCENARIOS } from "./journey";
import { MANAGER_SCENARIOS } from "./manager";
import { managerSteady, steadyWorker } from "./steady";
import { WORKER_SCENARIOS } from "./workers";
import { managerXss, xssWorker } from "./xss";

/** Every scenario shipped with Foreman; the CLI (main.ts) loads these plus any JSON files given. */
export const SCENARIOS: ScenarioInput[] = [...WORKER_SCENARIOS, ...ADVERSARY_SCENARIOS, steadyWorker, xssWorker, ...MANAGER_SCENARIOS, managerSteady, managerXss, ...HAND_OFF_SCENARIOS, ...JOURNEY_SCENARIOS];
