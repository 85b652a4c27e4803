"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useState, useTransition } from "react";
import { errorMessage, UtcTime } from "@/components/settings/tokens-panel";
import { Button, callApi, ErrorText, FormSection, useAction } from "@/components/ui/form";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { ROLES, type Role } from "@/lib/auth/roles";

export type UserRow = { id: string; name: string; email: string; role: Role; createdAt: string };
export type InviteRow = { id: string; role: Role; createdBy: string; createdAt: string; expiresAt: string | null };
type CreatedInvite = { id: string; url: string; role: Role; expiresAt: string };

const selectClass =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900";

type RoleSelectProps = { id: string; label: string; showLabel?: boolean; value: Role; disabled?: boolean; onChange: (role: Role) => void };

function RoleSelect({ id, label, showLabel = false, value, disabled, onChange }: RoleSelectProps) {
  return (
    <>
      <label htmlFor={id} className={showLabel ? "text-sm font-medium" : "sr-only"}>
        {label}
      </label>
      <select id={id} value={value} disabled={disabled} onChange={(event) => onChange(event.currentTarget.value as Role)} className={selectClass}>
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
    </>
  );
}

/** Owners manage accounts: change roles, remove people, invite by one-time link. */
export function UsersPanel({ users, invites, currentUserId }: { users: UserRow[]; invites: InviteRow[]; currentUserId: string }) {
  return (
    <div className="space-y-6">
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="reflow-table w-full min-w-[40rem] text-left text-sm">
          <caption className="sr-only">Users</caption>
          <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Name</th>
              <th scope="col" className="px-4 py-2 font-medium">Email</th>
              <th scope="col" className="px-4 py-2 font-medium">Role</th>
              <th scope="col" className="px-4 py-2 font-medium">Joined</th>
              <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {users.map((user) => (
              <UserListRow key={user.id} user={user} isYou={user.id === currentUserId} />
            ))}
          </tbody>
        </table>
      </div>
      <OpenInvites invites={invites} />
      <InviteForm />
    </div>
  );
}

/** Invitation links not used yet: a leaked one can be revoked here before it is used. */
function OpenInvites({ invites }: { invites: InviteRow[] }) {
  return (
    <section aria-labelledby="open-invites-heading" className="space-y-2">
      <h2 id="open-invites-heading" className="text-sm font-semibold">
        Open invitations
      </h2>
      {invites.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No invitation link is waiting to be used.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <table className="reflow-table w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">Open invitations</caption>
            <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Role</th>
                <th scope="col" className="px-4 py-2 font-medium">Made by</th>
                <th scope="col" className="px-4 py-2 font-medium">Expires</th>
                <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {invites.map((invite) => (
                <InviteListRow key={invite.id} invite={invite} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InviteListRow({ invite }: { invite: InviteRow }) {
  const router = useRouter();
  const { busy, error, run } = useAction();
  const revoke = () =>
    run(async () => {
      await callApi(`/api/invites/${encodeURIComponent(invite.id)}`, { method: "DELETE" });
      router.refresh();
    });
  return (
    <tr data-testid="invite-row" className="align-top">
      <td data-label="Role" className="px-4 py-2 font-medium">{invite.role}</td>
      <td data-label="Made by" className="break-all px-4 py-2">{invite.createdBy}</td>
      <td data-label="Expires" className="whitespace-nowrap px-4 py-2 text-xs text-zinc-600 dark:text-zinc-400">{invite.expiresAt ? <UtcTime iso={invite.expiresAt} /> : "never"}</td>
      <td className="px-4 py-2">
        <div className="flex justify-end">
          <Button variant="danger" disabled={busy} onClick={() => void revoke()} aria-label={`Revoke the ${invite.role} invitation made by ${invite.createdBy}`}>
            Revoke
          </Button>
        </div>
        <ErrorText>{error}</ErrorText>
      </td>
    </tr>
  );
}

function UserListRow({ user, isYou }: { user: UserRow; isYou: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  // Shows the chosen role while the change is saved; falls back to the server's value after.
  const [role, setOptimisticRole] = useOptimistic(user.role);

  const act = (work: () => Promise<void>, optimistic?: Role) =>
    startTransition(async () => {
      setError(null);
      if (optimistic) setOptimisticRole(optimistic);
      try {
        await work();
        startTransition(() => router.refresh());
      } catch (failure) {
        setError(errorMessage(failure));
      }
    });

  const changeRole = (next: Role) =>
    act(() => callApi(`/api/users/${encodeURIComponent(user.id)}`, { method: "PATCH", body: JSON.stringify({ role: next }) }), next);

  // Two clicks: the first arms the button, the second removes.
  const remove = () => {
    if (confirming) act(() => callApi(`/api/users/${encodeURIComponent(user.id)}`, { method: "DELETE" }));
    setConfirming(!confirming);
  };

  return (
    <tr data-testid="user-row" className="align-top">
      <td data-label="Name" className="px-4 py-2 font-medium">
        {user.name}
        {isYou ? <span className="ml-1 text-xs font-normal text-zinc-500">(you)</span> : null}
      </td>
      <td data-label="Email" className="break-all px-4 py-2">{user.email}</td>
      <td data-label="Role" className="px-4 py-2">
        <RoleSelect id={`role-${user.id}`} label={`Role of ${user.email}`} value={role} disabled={pending} onChange={changeRole} />
      </td>
      <td data-label="Joined" className="whitespace-nowrap px-4 py-2 text-xs text-zinc-600 dark:text-zinc-400">
        <UtcTime iso={user.createdAt} />
      </td>
      <td className="px-4 py-2">
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="danger" disabled={pending} onClick={remove} aria-label={`${confirming ? "Confirm remove" : "Remove"} ${user.email}`}>
            {confirming ? "Confirm remove" : "Remove"}
          </Button>
          {confirming ? (
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          ) : null}
        </div>
        <div className="mt-1">
          <ErrorText>{error}</ErrorText>
        </div>
      </td>
    </tr>
  );
}

function InviteForm() {
  const router = useRouter();
  const [role, setRole] = useState<Role>("viewer");
  const { busy, error, run } = useAction();
  const [invite, setInvite] = useState<CreatedInvite | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await run(async () => {
      setInvite(await callApi<CreatedInvite>("/api/invites", { method: "POST", body: JSON.stringify({ role }) }));
      router.refresh();
    });
  }

  return (
    <FormSection id="invite-heading" title="Invite someone" className="max-w-xl">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">The link creates one account with the role you pick. It works once, and only until it expires.</p>
      <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-3">
        <RoleSelect id="invite-role" label="Role" showLabel value={role} onChange={setRole} />
        <Button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create invite link"}
        </Button>
      </form>
      <ErrorText>{error}</ErrorText>
      {invite ? (
        <OneTimeSecret key={invite.id} label={`Invite link for a new ${invite.role}. Copy it now; it is not shown again.`} value={invite.url} testId="invite-url">
          Expires <UtcTime iso={invite.expiresAt} />.
        </OneTimeSecret>
      ) : null}
    </FormSection>
  );
}
