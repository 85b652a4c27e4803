import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * The runner's own file work inside a worktree never follows a link a worker
 * planted: every component below the worktree is checked with lstat, and the
 * final file is opened with O_NOFOLLOW. A refusal names the link.
 */
export class PlantedLink extends Error {
  override name = "PlantedLink";
  constructor(
    readonly relative: string,
    readonly link: string,
  ) {
    super(`${link} is a symbolic link the worker made; Foreman does not write or delete through it.`);
  }
}

type Kind = "missing" | "file" | "directory" | "link" | "other";

function kindOf(file: string): Kind {
  try {
    const stat = lstatSync(file);
    return stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "directory" : stat.isFile() ? "file" : "other";
  } catch {
    return "missing";
  }
}

/** `relative` split into components, or null when it leaves the root (absolute, `..`). */
function components(relative: string): string[] | null {
  const normal = path.normalize(relative);
  if (!normal || normal === "." || path.isAbsolute(normal) || normal === ".." || normal.startsWith(`..${path.sep}`)) return null;
  return normal.split(path.sep).filter(Boolean);
}

/** Creates the parent directories of `relative` under `root`, refusing any link on the way; returns the full path. */
function safeParents(root: string, parts: string[], relative: string): string {
  let current = root;
  for (const part of parts.slice(0, -1)) {
    current = path.join(current, part);
    const kind = kindOf(current);
    if (kind === "link") throw new PlantedLink(relative, path.relative(root, current));
    if (kind === "missing") mkdirSync(current);
    else if (kind !== "directory") throw new PlantedLink(relative, path.relative(root, current));
  }
  return path.join(current, parts.at(-1)!);
}

/** Writes `source`'s bytes to `root/relative` without following links (e.g. an env file into a reused worktree). */
export function copyIntoWorktree(root: string, relative: string, source: string): void {
  const parts = components(relative);
  if (!parts) return;
  const target = safeParents(root, parts, relative);
  if (kindOf(target) === "link") throw new PlantedLink(relative, relative);
  const fd = openSync(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, readFileSync(source));
  } finally {
    closeSync(fd);
  }
}

/** Removes `root/relative` (a link itself, not what it points to); refuses when a parent component is a link. */
export function removeInsideWorktree(root: string, relative: string): void {
  const parts = components(relative);
  if (!parts) return;
  let current = root;
  for (const part of parts.slice(0, -1)) {
    current = path.join(current, part);
    const kind = kindOf(current);
    if (kind === "missing") return;
    if (kind !== "directory") throw new PlantedLink(relative, path.relative(root, current));
  }
  // rmSync does not follow a link it is given, nor links inside a directory it removes.
  rmSync(path.join(current, parts.at(-1)!), { recursive: true, force: true });
}

/**
 * `root/relative`'s bytes when it is a plain file reached through no link
 * (each component checked with lstat, the file opened with O_NOFOLLOW), else
 * null: a worker that can write under `root` cannot make the runner read a
 * file of the host through it.
 */
export function readInside(root: string, relative: string): Buffer | null {
  const parts = components(relative);
  if (!parts) return null;
  let current = root;
  for (const part of parts.slice(0, -1)) {
    current = path.join(current, part);
    if (kindOf(current) !== "directory") return null;
  }
  let fd: number;
  try {
    fd = openSync(path.join(current, parts.at(-1)!), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : null;
  } finally {
    closeSync(fd);
  }
}

/** Writes `bytes` to `root/relative`, creating its folders, through no link (a planted one is refused: PlantedLink). */
export function writeInside(root: string, relative: string, bytes: Buffer): void {
  const parts = components(relative);
  if (!parts) throw new PlantedLink(relative, relative);
  const target = safeParents(root, parts, relative);
  if (kindOf(target) === "link") throw new PlantedLink(relative, relative);
  const fd = openSync(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}
