import { z } from "zod";

const branchName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/, { message: "is not a valid branch name" });

/** Optional, and `null` means absent: a client may send back what GET returned (which says `null`). */
const absentOr = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

export const createRepositoryInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    path: absentOr(z.string().trim().min(1).max(1000)),
    url: absentOr(
      z
        .string()
        .trim()
        .max(1000)
        .regex(/^(https:\/\/|ssh:\/\/|git@|file:\/\/)/, { message: "must be an https://, ssh://, git@ or file:// git URL" }),
    ),
    baseBranch: branchName.default("main"),
    github: absentOr(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, { message: "must look like owner/name" }),
    ),
    /** Stored encrypted; never returned. */
    githubToken: absentOr(z.string().trim().min(1).max(500)),
    setupScript: absentOr(z.string().max(10_000)),
    /** Lets the contained setup script reach the network (package installs); workers stay offline. */
    setupNetwork: z.boolean().default(false),
    verifyCommand: absentOr(z.string().max(2_000)),
    envFiles: z.array(z.string().trim().min(1).max(300)).max(20).default([]),
    /** Test files by convention; leave out for Foreman's defaults (test/, tests/, *.test.*, test_*.py, …). */
    testPatterns: absentOr(z.array(z.string().trim().min(1).max(300)).max(100)),
    /** Further files that are checks, as globs. */
    checkFiles: z.array(z.string().trim().min(1).max(300)).max(100).default([]),
  })
  .strict()
  .refine((value) => Boolean(value.path) !== Boolean(value.url), {
    message: "give either a local path or a git URL, not both",
    path: ["path"],
  });

export type CreateRepositoryInput = z.infer<typeof createRepositoryInput>;
