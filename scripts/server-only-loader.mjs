// Node processes (web server, runner, scripts) import lib/ modules marked with
// `import "server-only"`. That guard is for Next's client bundles; in plain Node
// it resolves to an empty module.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") return { url: "data:text/javascript,export {};", shortCircuit: true };
  return nextResolve(specifier, context);
}
