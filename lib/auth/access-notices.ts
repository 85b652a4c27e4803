import { z } from "zod";

/**
 * Credentials that die or change are announced here by database triggers
 * (migration 0006): a deleted session, a removed or re-roled user, a revoked
 * or deleted API token, a revoked, re-dated or deleted share link.
 */
export const ACCESS_CHANNEL = "foreman_access";

/** What a notice names: a reason to look again, never a verdict. */
export const accessNotice = z.object({ userId: z.string().optional(), tokenId: z.string().optional(), shareLinkId: z.string().optional() });
export type AccessNotice = z.infer<typeof accessNotice>;
