import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectEscapes } from "../../worker-runner/contain/detect-escape";
import { copyIntoWorktree, PlantedLink, removeInsideWorktree } from "../../worker-runner/contain/safe-paths";

const context = { worktree: "/data/worktrees/abc/T1", private: ["/data", "/root"] };

describe("refused escapes read from a command and its output", () => {
  it.each([
    ["echo x > /etc/passwd", "bash: line 1: /etc/passwd: Read-only file system", "write", "/etc/passwd"],
    ["touch /usr/bin/git", "touch: cannot touch '/usr/bin/git': Read-only file system", "write", "/usr/bin/git"],
    ["mkdir -p /tmp/node_modules", "mkdir: cannot create directory \u2018/tmp/node_modules\u2019: Read-only file system", "write", "/tmp/node_modules"],
    ["git config core.fsmonitor x", "error: could not lock config file /repo/.git/config: Read-only file system", "git", "/repo/.git/config"],
    ["echo x >> /data/runner/codex-launcher.sh", "bash: line 1: /data/runner/codex-launcher.sh: No such file or directory", "write", "/data/runner/codex-launcher.sh"],
    ["cat /data/secret", "cat: /data/secret: No such file or directory", "read", "/data/secret"],
    ["cat /proc/2/environ", "cat: /proc/2/environ: Permission denied", "process", "/proc/2/environ"],
    ["curl https://example.com", "curl: (6) Could not resolve host: example.com", "network", "curl https://example.com"],
    ["printf x > .codex/config.toml", "bash: line 2: .codex/config.toml: Read-only file system", "write", ".codex/config.toml"],
  ])("%s", (command, output, action, target) => {
    expect(detectEscapes(command, output, context)).toEqual([expect.objectContaining({ action, target })]);
  });

  it("an honest command's ordinary failures are not escapes", () => {
    expect(detectEscapes("cat missing.txt", "cat: missing.txt: No such file or directory", context)).toEqual([]);
    expect(detectEscapes("ls /nonexistent", "ls: cannot access '/nonexistent': No such file or directory", context)).toEqual([]);
    expect(detectEscapes("sh test.sh", "FAIL: greeting.txt should say 'hello, world'", context)).toEqual([]);
    expect(detectEscapes("echo hi > /data/worktrees/abc/T1/out.txt", "", context)).toEqual([]);
  });
});

describe("the runner's own file work in a worktree", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "foreman-safe-paths-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("copies a file in, creating folders, but never through a link at the file or on the way", () => {
    const worktree = path.join(root, "wt1");
    const outside = path.join(root, "outside1");
    mkdirSync(worktree);
    mkdirSync(outside);
    const source = path.join(root, "source.env");
    writeFileSync(source, "SECRET=1\n");
    copyIntoWorktree(worktree, "config/.env", source);
    expect(readFileSync(path.join(worktree, "config", ".env"), "utf8")).toBe("SECRET=1\n");

    symlinkSync(path.join(outside, "captured"), path.join(worktree, ".env"));
    expect(() => copyIntoWorktree(worktree, ".env", source)).toThrow(PlantedLink);
    symlinkSync(outside, path.join(worktree, "linked"));
    expect(() => copyIntoWorktree(worktree, "linked/.env", source)).toThrow(PlantedLink);
    expect(() => readFileSync(path.join(outside, "captured"))).toThrow();
    expect(() => readFileSync(path.join(outside, ".env"))).toThrow();
  });

  it("removes a leftover, a link as a link, and refuses to remove through a linked folder", () => {
    const worktree = path.join(root, "wt2");
    const victim = path.join(root, "victim");
    mkdirSync(path.join(worktree, "node_modules", "x"), { recursive: true });
    mkdirSync(victim);
    writeFileSync(path.join(victim, "keep.txt"), "keep");
    removeInsideWorktree(worktree, "node_modules");
    expect(() => readFileSync(path.join(worktree, "node_modules", "x"))).toThrow();

    symlinkSync(victim, path.join(worktree, "conf"));
    expect(() => removeInsideWorktree(worktree, "conf/keep.txt")).toThrow(PlantedLink);
    removeInsideWorktree(worktree, "conf");
    expect(readFileSync(path.join(victim, "keep.txt"), "utf8")).toBe("keep");
  });
});
