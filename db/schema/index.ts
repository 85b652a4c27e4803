export * from "./enums";
export * from "./runs";
export * from "./tasks";
export * from "./events";
export * from "./loop";
export * from "./github";
export * from "./access";
export * from "./runners";
