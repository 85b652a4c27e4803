import { z } from "zod";

const branchName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/, { message: "is not a valid branch name" });

export const createRepositoryInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    path: z.string().trim().min(1).max(1000).optional(),
    url: z
      .string()
      .trim()
      .max(1000)
      .regex(/^(https:\/\/|ssh:\/\/|git@|file:\/\/)/, { message: "must be an https://, ssh://, git@ or file:// git URL" })
      .optional(),
    baseBranch: branchName.default("main"),
    github: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, { message: "must look like owner/name" })
      .optional(),
    /** Stored encrypted; never returned. */
    githubToken: z.string().trim().min(1).max(500).optional(),
    setupScript: z.string().max(10_000).optional(),
    /** Lets the contained setup script reach the network (package installs); workers stay offline. */
    setupNetwork: z.boolean().default(false),
    verifyCommand: z.string().max(2_000).optional(),
    envFiles: z.array(z.string().trim().min(1).max(300)).max(20).default([]),
    /** Test files by convention; leave out for Foreman's defaults (test/, tests/, *.test.*, test_*.py, …). */
    testPatterns: z.array(z.string().trim().min(1).max(300)).max(100).optional(),
    /** Further files that are checks, as globs. */
    checkFiles: z.array(z.string().trim().min(1).max(300)).max(100).default([]),
  })
  .strict()
  .refine((value) => Boolean(value.path) !== Boolean(value.url), {
    message: "give either a local path or a git URL, not both",
    path: ["path"],
  });

export type CreateRepositoryInput = z.infer<typeof createRepositoryInput>;
