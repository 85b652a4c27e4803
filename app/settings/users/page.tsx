import type { Metadata } from "next";
import { UsersPanel } from "@/components/settings/users-panel";
import { listInvites } from "@/lib/auth/access-links";
import { listUsers } from "@/lib/auth/users";
import { getDb } from "@/lib/server/context";
import { requirePageMember } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const member = await requirePageMember("owner", "/settings/users");
  if (!member) return <p className="text-sm text-zinc-600 dark:text-zinc-400">This page needs the owner role.</p>;
  const users = (await listUsers(getDb())).map((user) => ({ ...user, createdAt: user.createdAt.toISOString() }));
  const invites = (await listInvites(getDb())).map((invite) => ({
    id: invite.id,
    role: invite.role,
    createdBy: invite.createdByName ? `${invite.createdByName} (${invite.createdByEmail})` : "a removed user",
    createdAt: invite.createdAt.toISOString(),
    expiresAt: invite.expiresAt?.toISOString() ?? null,
  }));
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">Users</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Owners manage users, repositories and secrets; operators start, approve and steer runs; viewers read. Foreman always keeps at least one owner.
      </p>
      <UsersPanel users={users} invites={invites} currentUserId={member.id} />
    </div>
  );
}
