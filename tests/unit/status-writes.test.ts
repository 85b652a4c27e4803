import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as schema from "../../db/schema";

/**
 * Every status column is written only by a guarded `transition-*.ts` module
 * (DESIGN.md §3, STYLE.md "States are data"). The status columns come from the
 * schema itself (every pgEnum column whose enum is a `*_status` or `*_state`),
 * so a new table with states is covered the day it is added. Inserts choose a
 * row's first state and are not transitions; tests, e2e fixtures and benches
 * seed states on purpose and are not scanned.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const SCANNED = ["app", "components", "lib", "worker-runner", "db", "scripts", "server.ts", "proxy.ts"];
const TRANSITION_MODULE = /^transition-[a-z-]+\.ts$/;

type StatusTable = { dbName: string; keys: Set<string>; dbColumns: Set<string> };
type Write = { file: string; line: number; table: string; column: string };

function statusTables(): Map<string, StatusTable> {
  const found = new Map<string, StatusTable>();
  for (const [exportName, value] of Object.entries(schema)) {
    if (!is(value, PgTable)) continue;
    for (const [key, column] of Object.entries(getTableColumns(value))) {
      const enumName = (column as { enum?: { enumName?: string } }).enum?.enumName;
      if (!enumName || !/_(status|state)$/.test(enumName)) continue;
      const entry = found.get(exportName) ?? { dbName: getTableName(value), keys: new Set(), dbColumns: new Set() };
      entry.keys.add(key);
      entry.dbColumns.add(column.name);
      found.set(exportName, entry);
    }
  }
  return found;
}

/** The table a call chain `….update(T)` or `….insert(T)` names, when it does. */
function chainTable(node: ts.Expression, method: "update" | "insert"): string | null {
  let current: ts.Expression = node;
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
    const access = current.expression;
    const [argument] = current.arguments;
    if (access.name.text === method && argument) return ts.isPropertyAccessExpression(argument) ? argument.name.text : argument.getText();
    current = access.expression;
  }
  return null;
}

/** The keys an object literal sets, through spreads of literals and conditionals; `*` for what cannot be read. */
function setKeys(node: ts.Expression): string[] {
  if (ts.isParenthesizedExpression(node)) return setKeys(node.expression);
  if (ts.isConditionalExpression(node)) return [...setKeys(node.whenTrue), ...setKeys(node.whenFalse)];
  if (!ts.isObjectLiteralExpression(node)) return ["*"];
  return node.properties.flatMap((property) => {
    if (ts.isSpreadAssignment(property)) return setKeys(property.expression);
    if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) return [property.name.text];
    return ["*"];
  });
}

const RAW_UPDATE = /update\s+(?:\$\{\s*(?:\w+\.)*(\w+)\s*\}|"?(\w+)"?)\s+set\b([\s\S]*)/i;

/** Status writes in one source text: drizzle `.update(T).set({...})`, upserts' `onConflictDoUpdate({set})`, raw `update … set`. */
export function findStatusWrites(file: string, text: string, tables: Map<string, StatusTable>): Write[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const writes: Write[] = [];
  const record = (node: ts.Node, table: string, column: string) =>
    writes.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, table, column });
  const checkSet = (node: ts.Node, table: string, values: ts.Expression) => {
    const status = tables.get(table);
    if (!status) return;
    for (const key of setKeys(values)) if (key === "*" || status.keys.has(key)) record(node, table, key);
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments[0]) {
      const method = node.expression.name.text;
      const table = method === "set" ? chainTable(node.expression.expression, "update") : method === "onConflictDoUpdate" ? chainTable(node.expression.expression, "insert") : null;
      const config = node.arguments[0];
      if (table && method === "set") checkSet(node, table, config);
      if (table && method === "onConflictDoUpdate" && ts.isObjectLiteralExpression(config)) {
        const set = config.properties.find((property) => property.name?.getText() === "set");
        if (set && ts.isPropertyAssignment(set)) checkSet(node, table, set.initializer);
      }
    }
    if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) {
      const match = RAW_UPDATE.exec(node.getText());
      if (match) {
        const named = match[1] ?? match[2]!;
        for (const [exportName, status] of tables) {
          if (named !== exportName && named !== status.dbName) continue;
          for (const column of status.dbColumns) if (new RegExp(`\\b"?${column}"?\\s*=`).test(match[3]!)) record(node, exportName, column);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return writes;
}

function sourceFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (/\.tsx?$/.test(entry)) return [full];
  return readdirSync(full, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name) && !name.endsWith(".d.ts") && !name.split(path.sep).includes("migrations"))
    .map((name) => path.join(full, name));
}

describe("status writes", () => {
  const tables = statusTables();
  const writes = SCANNED.flatMap(sourceFiles).flatMap((file) => findStatusWrites(path.relative(ROOT, file), readFileSync(file, "utf8"), tables));
  const guarded = writes.filter((write) => TRANSITION_MODULE.test(path.basename(write.file)));

  it("knows every status column of the schema", () => {
    const columns = [...tables].flatMap(([name, table]) => [...table.keys].map((key) => `${name}.${key}`)).sort();
    expect(columns).toEqual(
      expect.arrayContaining(["runs.status", "tasks.status", "attempts.status", "approvals.status", "questions.status", "heartbeats.status", "verifications.status", "pullRequests.state", "pullRequests.ciState"]),
    );
  });

  it("happen only in transition-*.ts modules", () => {
    const outside = writes.filter((write) => !guarded.includes(write)).map((write) => `${write.file}:${write.line} writes ${write.table}.${write.column}`);
    expect(outside).toEqual([]);
  });

  it("have a guarded transition for every status column (the scan sees the writes it guards)", () => {
    const written = new Set(guarded.map((write) => `${write.table}.${write.column}`));
    const missing = [...tables].flatMap(([name, table]) => [...table.keys].map((key) => `${name}.${key}`)).filter((column) => !written.has(column));
    expect(missing).toEqual([]);
  });

  it("are found however they are spelled: set, conditional spreads, upserts, raw SQL", () => {
    const bad = [
      'await tx.update(runs).set({ summary: "x", ...(done ? { status: "completed" } : {}) }).where(eq(runs.id, id));',
      "await db.update(schema.tasks).set(values).where(eq(tasks.id, id));",
      'await db.insert(pullRequests).values(row).onConflictDoUpdate({ target: pullRequests.id, set: { ciState: "pending" } });',
      "await tx.execute(sql`update ${approvals} set status = 'approved' where id = ${id}`);",
      'await sql`UPDATE "verifications" SET "status" = ${to}`;',
    ].join("\n");
    expect(findStatusWrites("lib/bad.ts", bad, tables).map((write) => `${write.line} ${write.table}.${write.column}`)).toEqual([
      "1 runs.status",
      "2 tasks.*",
      "3 pullRequests.ciState",
      "4 approvals.status",
      "5 verifications.status",
    ]);
    const harmless = 'await tx.update(runs).set({ summary: "x" }); await tx.insert(runs).values({ status: "reviewing" }); const text = "update the status = later";';
    expect(findStatusWrites("lib/ok.ts", harmless, tables)).toEqual([]);
  });
});
