import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

/** Every .ts/.tsx file tsc checks (tsconfig's include), outside generated folders. */
function sourceFiles(): { files: string[]; options: ts.CompilerOptions } {
  const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const files = parsed.fileNames.filter((file) => !file.endsWith(".d.ts") && !path.relative(root, file).startsWith(".next"));
  return { files, options: parsed.options };
}

/**
 * file → the project files it imports, type-only imports, re-exports and
 * dynamic `import()` included; resolved as tsc resolves them (relative paths,
 * `@/` aliases, index files), packages left out.
 */
function importGraph(): Map<string, string[]> {
  const { files, options } = sourceFiles();
  const inProject = new Set(files);
  const cache = ts.createModuleResolutionCache(root, (name) => name, options);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(ts.sys.readFile(file) ?? "", true, true);
    const targets = importedFiles
      .map(({ fileName }) => ts.resolveModuleName(fileName, file, options, ts.sys, cache).resolvedModule?.resolvedFileName)
      .filter((target): target is string => target !== undefined && inProject.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Each circle of imports once (Tarjan's strongly connected components), as a path that comes back to its start. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) components.push(component);
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components.map((component) => circleThrough(graph, new Set(component)));
}

/** One concrete circle inside a strongly connected component: start → … → start. */
function circleThrough(graph: Map<string, string[]>, members: Set<string>): string[] {
  const start = [...members].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const between: string[] = [];
        for (let at = node; at !== start; at = cameFrom.get(at)!) between.unshift(at);
        return [start, ...between, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}

describe("import graph", () => {
  const graph = importGraph();
  const edge = (from: string, to: string) => graph.get(path.join(root, from))?.includes(path.join(root, to));

  it("resolves relative, aliased and type-only imports", () => {
    expect(graph.size).toBeGreaterThan(300);
    expect(edge("worker-runner/main.ts", "worker-runner/jobs/index.ts")).toBe(true);
    expect(edge("app/audit/page.tsx", "components/ui/local-time.tsx")).toBe(true);
    expect(edge("worker-runner/work-queues.ts", "worker-runner/jobs/types.ts")).toBe(true);
  });

  it("finds a circle when there is one", () => {
    const circles = findCycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a", "d"]], ["d", []]]));
    expect(circles).toEqual([["a", "b", "c", "a"]]);
  });

  it("no module imports itself through a circle of imports", () => {
    const circles = findCycles(graph).map((circle) => circle.map((file) => path.relative(root, file)).join(" → "));
    expect(circles).toEqual([]);
  });
});
